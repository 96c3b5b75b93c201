fn main() {
    // Panics are caught per file and reported as diagnostics; a backtrace on stderr
    // would only bury the report.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "archlint: internal error: {info} (the affected file was skipped; please report this)"
        );
    }));
    std::process::exit(archlint::cli::run());
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

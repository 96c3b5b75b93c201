fn main() {
    // Panics are caught per file and reported as diagnostics; a backtrace on stderr
    // would only bury the report.
    std::panic::set_hook(Box::new(|info| {
        eprintln!(
            "archlint: internal error: {info} (the affected file was skipped; please report this)"
        );
    }));
    route_tree_sitter_to_mimalloc();
    std::process::exit(archlint::cli::run());
}

/// tree-sitter allocates each parse-stack entry and subtree through the C allocator,
/// and parsing is most of archlint's run; glibc's malloc spends about a tenth of the
/// parse in its free lists where mimalloc spends a fraction of that. Set before any
/// parser exists, so no tree is freed by an allocator other than the one that made it.
fn route_tree_sitter_to_mimalloc() {
    unsafe extern "C" fn zeroed(count: usize, size: usize) -> *mut std::ffi::c_void {
        match count.checked_mul(size) {
            // SAFETY: mi_zalloc accepts any size and returns null when out of memory.
            Some(bytes) => unsafe { libmimalloc_sys::mi_zalloc(bytes) },
            None => std::ptr::null_mut(),
        }
    }
    // SAFETY: called once, first thing in main, before any thread or parser exists.
    unsafe {
        tree_sitter::set_allocator(
            Some(libmimalloc_sys::mi_malloc),
            Some(zeroed),
            Some(libmimalloc_sys::mi_realloc),
            Some(libmimalloc_sys::mi_free),
        );
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

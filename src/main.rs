fn main() {
    std::process::exit(archlint::cli::run());
}

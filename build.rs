//! Compiles the tree copy (src/code/tree_copy.c) against the internal headers of the
//! tree-sitter crate that is linked: tree-sitter exports its include folder, and its
//! sources sit beside it.

fn main() {
    println!("cargo:rerun-if-changed=src/code/tree_copy.c");
    let include = std::path::PathBuf::from(
        std::env::var("DEP_TREE_SITTER_INCLUDE")
            .expect("the tree-sitter crate declares its include folder"),
    );
    let sources = include.join("../src");
    cc::Build::new()
        .file("src/code/tree_copy.c")
        .include(&include)
        .include(&sources)
        .warnings(true)
        .compile("archlint_tree_copy");
}

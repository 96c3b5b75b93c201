//! The floor for the Python benchmark: read and parse every `.py` file under a folder
//! with tree-sitter-python, in parallel like archlint does, and nothing else.
//!
//! cargo run --release --example parse_floor -- DIR

use std::cell::RefCell;
use std::time::Instant;

use rayon::prelude::*;

thread_local! {
    static PARSER: RefCell<tree_sitter::Parser> = RefCell::new({
        let mut parser = tree_sitter::Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .expect("the grammar matches the tree-sitter version");
        parser
    });
}

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".to_string());
    let started = Instant::now();
    let files: Vec<std::path::PathBuf> = ignore::WalkBuilder::new(&dir)
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "py"))
        .map(|e| e.into_path())
        .collect();
    let nodes: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            PARSER.with(|p| {
                p.borrow_mut()
                    .parse(&text, None)
                    .map_or(0, |t| t.root_node().descendant_count())
            })
        })
        .sum();
    println!(
        "{} files, {nodes} nodes, parsed in {:.3} s",
        files.len(),
        started.elapsed().as_secs_f64()
    );
}

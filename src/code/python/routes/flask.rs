//! Routes declared with flask.

use crate::code::python::ParsedFile;
use crate::model::code::{CodeModel, Route};

pub fn extract(files: &[ParsedFile], model: &CodeModel) -> Vec<Route> {
    let _ = (files, model);
    Vec::new()
}

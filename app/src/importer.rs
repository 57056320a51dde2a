//! The roster import lives in a wasm module of its own (import/), so the app's first visit
//! does not carry it; so does the XLSX writer of the papers. This file loads that module with a
//! dynamic `import()` the first time a teacher imports a file or downloads a paper as XLSX,
//! then asks it for previews and workbooks. The page's boot script (public/boot.js)
//! names the module's files and loads them as `window.baoxueImport.load()`; the service worker
//! precaches them, so import works offline after one visit.

use crate::i18n::ImportText;
use baoxue_import::wire::{Context, Outcome, ResidentsOutcome};
use chrono::NaiveDate;
use js_sys::{Array, Function, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The module's exports once loaded: loaded once, kept for the life of the page.
    static MODULE: RefCell<Option<JsValue>> = const { RefCell::new(None) };
}

/// Why no preview could be made. A file the module cannot read is not one of these: that is an
/// `Err` of the [`Outcome`], worded by the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImporterError {
    #[error("the import module could not be loaded (offline before it was ever cached, or no build names it)")]
    ModuleMissing,
    #[error("the import module gave no answer it could read")]
    ModuleFailed,
}

impl ImporterError {
    pub fn text(self) -> ImportText {
        match self {
            ImporterError::ModuleMissing => ImportText::ModuleMissing,
            ImporterError::ModuleFailed => ImportText::ReadFileFailed,
        }
    }
}

/// The bytes of a file the person picked.
pub async fn bytes_of(file: &web_sys::File) -> Result<Uint8Array, ImporterError> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|_| ImporterError::ModuleFailed)?;
    Ok(Uint8Array::new(&buffer))
}

/// Compares the file's bytes with the phone's records, loading the module first if needed.
pub async fn preview(
    file: &Uint8Array,
    file_name: &str,
    context: &Context,
    today: NaiveDate,
) -> Result<Outcome, ImporterError> {
    let module = module().await?;
    let preview: Function = Reflect::get(&module, &"preview".into())
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or(ImporterError::ModuleFailed)?;
    let context = serde_json::to_string(context).map_err(|_| ImporterError::ModuleFailed)?;
    let arguments = Array::of4(file, &file_name.into(), &context.into(), &today.to_string().into());
    let answer = preview.apply(&JsValue::NULL, &arguments).map_err(|_| ImporterError::ModuleFailed)?;
    let answer = answer.as_string().ok_or(ImporterError::ModuleFailed)?;
    serde_json::from_str(&answer).map_err(|_| ImporterError::ModuleFailed)
}

/// Reads a list of resident children (户籍) for the cross-check, loading the module first if
/// needed.
pub async fn residents(file: &Uint8Array, file_name: &str) -> Result<ResidentsOutcome, ImporterError> {
    let module = module().await?;
    let read: Function = Reflect::get(&module, &"residents".into())
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or(ImporterError::ModuleFailed)?;
    let answer = read.call2(&JsValue::NULL, file, &file_name.into()).map_err(|_| ImporterError::ModuleFailed)?;
    let answer = answer.as_string().ok_or(ImporterError::ModuleFailed)?;
    serde_json::from_str(&answer).map_err(|_| ImporterError::ModuleFailed)
}

/// A paper's rows of cells as an XLSX workbook of one sheet, loading the module first if needed.
pub async fn paper_xlsx(sheet: &str, rows: &[Vec<String>]) -> Result<Vec<u8>, ImporterError> {
    let module = module().await?;
    let write: Function = Reflect::get(&module, &"paper_xlsx".into())
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or(ImporterError::ModuleFailed)?;
    let rows = serde_json::to_string(rows).map_err(|_| ImporterError::ModuleFailed)?;
    let answer = write.call2(&JsValue::NULL, &sheet.into(), &rows.into()).map_err(|_| ImporterError::ModuleFailed)?;
    let bytes = answer.dyn_into::<Uint8Array>().map_err(|_| ImporterError::ModuleFailed)?.to_vec();
    // The module answers an empty array when it could not write the workbook.
    if bytes.is_empty() {
        return Err(ImporterError::ModuleFailed);
    }
    Ok(bytes)
}

async fn module() -> Result<JsValue, ImporterError> {
    if let Some(module) = MODULE.with(|module| module.borrow().clone()) {
        return Ok(module);
    }
    let window = web_sys::window().ok_or(ImporterError::ModuleMissing)?;
    let files = Reflect::get(&window, &"baoxueImport".into()).map_err(|_| ImporterError::ModuleMissing)?;
    if !files.is_object() {
        return Err(ImporterError::ModuleMissing);
    }
    // public/boot.js's `load`, which imports the module's glue and instantiates its wasm: a
    // module can only be imported by script text, and the page's Content-Security-Policy
    // allows no `new Function` in the app.
    let load: Function = Reflect::get(&files, &"load".into())
        .ok()
        .and_then(|value| value.dyn_into().ok())
        .ok_or(ImporterError::ModuleMissing)?;
    let promise: Promise =
        load.call0(&files).ok().and_then(|value| value.dyn_into().ok()).ok_or(ImporterError::ModuleMissing)?;
    let module = JsFuture::from(promise).await.map_err(|_| ImporterError::ModuleMissing)?;
    MODULE.with(|held| *held.borrow_mut() = Some(module.clone()));
    Ok(module)
}

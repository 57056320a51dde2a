//! Builds the app into `dist/`: wasm in the size-tuned profile, wasm-bindgen glue, wasm-opt,
//! content-hashed file names (so the server can cache them for a year), and a gzip copy of
//! every file (so the server sends compressed bytes without compressing on each request).
//! public/sw.js gets this build's file list and a build id, so each build installs on phones
//! as a new version of the service worker.
//!
//! The roster import (import/) is a second wasm module, built the same way. It is not part of
//! the first visit: the page shell names its files (`window.baoxueImport`) for the app to load
//! when a teacher imports a file, and the service worker precaches it for offline use.

use crate::process::{repo_root, run, step, target_dir};
use crate::tools::Tools;
use flate2::write::GzEncoder;
use flate2::Compression;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

/// Features rustc enables by default for wasm32 today; wasm-opt must be told it may keep them.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// What a phone downloads on its first visit, in bytes.
pub struct FirstLoad {
    pub raw: u64,
    pub gzip: u64,
}

pub fn build(tools: &Tools) -> Result<FirstLoad, String> {
    let root = repo_root();
    let target = target_dir();
    let bindgen_out = target.join("wasm-bindgen");
    step("building the app (wasm, size-tuned profile)");
    let app_optimised = build_module(tools, "baoxue-app", "app", &bindgen_out)?;
    step("building the roster import module (wasm, size-tuned profile)");
    let import_optimised = build_module(tools, "baoxue-import", "import", &bindgen_out)?;

    step("writing dist/");
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|error| format!("cannot clear {}: {error}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|error| error.to_string())?;
    let public = root.join("public");
    let js = write_hashed(&dist, "app", "js", &read(&bindgen_out.join("app.js"))?)?;
    let wasm = write_hashed(&dist, "app_bg", "wasm", &read(&app_optimised)?)?;
    let import_js = write_hashed(&dist, "import", "js", &read(&bindgen_out.join("import.js"))?)?;
    let import_wasm = write_hashed(&dist, "import_bg", "wasm", &read(&import_optimised)?)?;
    let css = write_hashed(&dist, "style", "css", &read(&public.join("style.css"))?)?;
    let template = String::from_utf8(read(&public.join("index.html"))?)
        .map_err(|_| "public/index.html is not UTF-8".to_owned())?;
    let html = template
        .replace("{{js}}", &js)
        .replace("{{wasm}}", &wasm)
        .replace("{{css}}", &css)
        .replace("{{import_js}}", &import_js)
        .replace("{{import_wasm}}", &import_wasm);
    write(&dist.join("index.html"), html.as_bytes())?;
    let mut copied = Vec::new();
    copy_static(&public, &dist, "", &mut copied)?;
    let mut precached =
        vec![String::new(), js.clone(), wasm.clone(), css.clone(), import_js.clone(), import_wasm.clone()];
    precached.extend(copied);
    write_service_worker(&public, &dist, &precached)?;
    gzip_all(&dist)?;

    let first_load = [js.as_str(), wasm.as_str(), css.as_str(), "index.html"];
    let mut total = FirstLoad { raw: 0, gzip: 0 };
    for name in first_load {
        let raw = size(&dist.join(name));
        let gzip = size(&dist.join(format!("{name}.gz")));
        eprintln!("  {name:<32} {raw:>9} bytes  {gzip:>8} gzip");
        total.raw += raw;
        total.gzip += gzip;
    }
    eprintln!("  {:<32} {:>9} bytes  {:>8} gzip", "first visit (html+js+wasm+css)", total.raw, total.gzip);
    for name in [import_js.as_str(), import_wasm.as_str()] {
        let (raw, gzip) = (size(&dist.join(name)), size(&dist.join(format!("{name}.gz"))));
        eprintln!(
            "  {name:<32} {raw:>9} bytes  {gzip:>8} gzip  (roster import: loaded on first use, not on the first visit)"
        );
    }
    Ok(total)
}

/// RUSTFLAGS replaces `.cargo/config.toml`'s rustflags for wasm32, so it repeats them.
const WASM_RELEASE_RUSTFLAGS: &str =
    "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";

/// Builds one crate's wasm in the size-tuned profile, runs wasm-bindgen (`<name>.js`,
/// `<name>_bg.wasm` in `out`) and wasm-opt, and returns the optimised wasm's path.
fn build_module(tools: &Tools, package: &str, name: &str, out: &Path) -> Result<std::path::PathBuf, String> {
    // The standard library rebuilt with the app, its panics reduced to a trap, and no source
    // locations kept for them: about 18 KB gzip less wasm on the first visit
    // (docs/benchmarks.md). These are unstable options of the pinned stable compiler, enabled
    // for this one build by RUSTC_BOOTSTRAP; a panic then stops the app without a message,
    // which no teacher could read anyway. Tests, clippy and debug builds use plain stable.
    run(tools
        .cargo()
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", WASM_RELEASE_RUSTFLAGS)
        .args(["build", "--package", package, "--lib", "--target", "wasm32-unknown-unknown"])
        .args(["--profile", "wasm-release", "-Zbuild-std=std,panic_abort"]))?;
    let built =
        target_dir().join("wasm32-unknown-unknown/wasm-release").join(format!("{}.wasm", package.replace('-', "_")));
    run(tools
        .command("wasm-bindgen")
        .arg(built)
        .args(["--target", "web", "--no-typescript", "--out-name", name, "--out-dir"])
        .arg(out))?;
    let optimised = out.join(format!("{name}_bg.opt.wasm"));
    run(tools
        .command("wasm-opt")
        .arg("-Oz")
        .args(WASM_FEATURES)
        .arg(out.join(format!("{name}_bg.wasm")))
        .arg("-o")
        .arg(&optimised))?;
    Ok(optimised)
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|error| format!("cannot read {}: {error}", path.display()))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0)
}

/// Writes `bytes` as `<stem>-<16 hex digits of SHA-256>.<ext>` and returns the name. The
/// server treats exactly this shape as immutable.
fn write_hashed(dist: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<String, String> {
    let digest = Sha256::digest(bytes);
    let hash: String = digest.iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let name = format!("{stem}-{hash}.{ext}");
    write(&dist.join(&name), bytes)?;
    Ok(name)
}

/// Copies the rest of public/ (manifest, icons) as it is, folders included, and adds each
/// file's path below public/ to `copied`. The service worker is written by
/// `write_service_worker`; the icon script is for people, not phones.
fn copy_static(from: &Path, to: &Path, prefix: &str, copied: &mut Vec<String>) -> Result<(), String> {
    let entries = std::fs::read_dir(from).map_err(|error| format!("cannot read {}: {error}", from.display()))?;
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let relative = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            let folder = to.join(&*name);
            std::fs::create_dir_all(&folder).map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
            copy_static(&path, &folder, &format!("{relative}/"), copied)?;
            continue;
        }
        let skipped = ["index.html", "style.css", SERVICE_WORKER].contains(&relative.as_str());
        if skipped || name.ends_with(".py") || !path.is_file() {
            continue;
        }
        std::fs::copy(&path, to.join(&*name)).map_err(|error| format!("cannot copy {relative}: {error}"))?;
        copied.push(relative);
    }
    Ok(())
}

const SERVICE_WORKER: &str = "sw.js";
const BUILD_PLACEHOLDER: &str = "\"{{build}}\"";
const PRECACHE_PLACEHOLDER: &str = "[\"{{precache}}\"]";

/// Writes public/sw.js into dist/ with this build's files to precache (paths below dist/, ""
/// for the page shell) and a build id hashed from their names and bytes. Any change to what a
/// phone caches changes sw.js, which is how the browser learns there is a new version.
fn write_service_worker(public: &Path, dist: &Path, precached: &[String]) -> Result<(), String> {
    let template = String::from_utf8(read(&public.join(SERVICE_WORKER))?)
        .map_err(|_| format!("public/{SERVICE_WORKER} is not UTF-8"))?;
    for placeholder in [BUILD_PLACEHOLDER, PRECACHE_PLACEHOLDER] {
        if template.matches(placeholder).count() != 1 {
            return Err(format!(
                "public/{SERVICE_WORKER} must hold {placeholder} exactly once, for the build to fill in"
            ));
        }
    }
    let mut hasher = Sha256::new();
    let mut paths = Vec::new();
    for relative in precached {
        let file = if relative.is_empty() { "index.html" } else { relative.as_str() };
        hasher.update(relative.as_bytes());
        hasher.update([0]);
        hasher.update(read(&dist.join(file))?);
        hasher.update([0]);
        // Names are written into JavaScript as they are; keep them to what needs no escaping.
        if !relative.bytes().all(|byte| byte.is_ascii_alphanumeric() || b"-_./".contains(&byte)) {
            return Err(format!("public/{relative}: name files in public/ with ASCII letters, digits, - _ . only"));
        }
        paths.push(format!("\"/{relative}\""));
    }
    let build: String = hasher.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    let worker = template
        .replace(BUILD_PLACEHOLDER, &format!("\"{build}\""))
        .replace(PRECACHE_PLACEHOLDER, &format!("[{}]", paths.join(", ")));
    write(&dist.join(SERVICE_WORKER), worker.as_bytes())?;
    eprintln!("  {SERVICE_WORKER:<32} build {build}, precaches {} files", precached.len());
    Ok(())
}

fn gzip_all(dist: &Path) -> Result<(), String> {
    // Top level only: the icons below it are PNGs, compressed already.
    let entries: Vec<_> = std::fs::read_dir(dist)
        .map_err(|error| error.to_string())?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect();
    for path in entries {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(&read(&path)?).map_err(|error| error.to_string())?;
        let compressed = encoder.finish().map_err(|error| error.to_string())?;
        let mut gz = path.clone().into_os_string();
        gz.push(".gz");
        write(Path::new(&gz), &compressed)?;
    }
    Ok(())
}

//! Builds the app into `dist/`: wasm in the size-tuned profile, wasm-bindgen glue, wasm-opt,
//! content-hashed file names (so the server can cache them for a year), and a gzip copy of
//! every file (so the server sends compressed bytes without compressing on each request).
//! public/sw.js gets this build's file list and a build id, so each build installs on phones
//! as a new version of the service worker.
//!
//! The app itself is cut at its two split points (app/src/later.rs, app/src/case_code.rs): the
//! main module draws a new phone's first-run form, the later one is fetched at start, the case
//! work when a page first needs it; code both need is a chunk of its own (docs/code-splitting.md).
//!
//! The roster import (import/) is a wasm module of its own, built the same way. It is not part of
//! the first visit: the page's boot script names its files (`window.baoxueImport`) for the app to load
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

/// What a phone downloads on its first visit before the first screen, in bytes, and the
/// later module (gzip) it fetches right after.
pub struct FirstLoad {
    pub gzip: u64,
    /// The later module (and any chunk it needs), fetched at start.
    pub later_gzip: u64,
    /// The case work's module, fetched when first used.
    pub cases_gzip: u64,
}

pub fn build(tools: &Tools) -> Result<FirstLoad, String> {
    let root = repo_root();
    let target = target_dir();
    let bindgen_out = target.join("wasm-bindgen");
    step("building the app (wasm, size-tuned profile, cut in three: first screens, later code, case work)");
    let app = build_split_app(tools, &bindgen_out)?;
    step("building the roster import module (wasm, size-tuned profile)");
    let import_built = build_wasm(tools, "baoxue-import")?;
    let import_plain = bindgen_out.join("import_plain.wasm");
    write(&import_plain, &without_link_sections(&read(&import_built)?)?)?;
    let import_optimised = bindgen_and_optimise(tools, &import_plain, "import", &[], &bindgen_out)?;

    step("writing dist/");
    let dist = root.join("dist");
    if dist.exists() {
        std::fs::remove_dir_all(&dist).map_err(|error| format!("cannot clear {}: {error}", dist.display()))?;
    }
    std::fs::create_dir_all(&dist).map_err(|error| error.to_string())?;
    let public = root.join("public");
    let names = write_split_app(&dist, &app, &read(&bindgen_out.join("app.js"))?)?;
    let import_js = write_hashed(&dist, "import", "js", &read(&bindgen_out.join("import.js"))?)?;
    let import_wasm = write_hashed(&dist, "import_bg", "wasm", &read(&import_optimised)?)?;
    let css = write_hashed(&dist, "style", "css", &read(&public.join("style.css"))?)?;
    let fill = |file: &str| -> Result<String, String> {
        let template =
            String::from_utf8(read(&public.join(file))?).map_err(|_| format!("public/{file} is not UTF-8"))?;
        Ok(template
            .replace("{{js}}", &names.js)
            .replace("{{wasm}}", &names.wasm)
            .replace("{{loader}}", &names.loader)
            .replace("{{css}}", &css)
            .replace("{{import_js}}", &import_js)
            .replace("{{import_wasm}}", &import_wasm))
    };
    // The page's script is a file of its own, not inline, so the server's Content-Security-Policy
    // can refuse inline scripts; it names this build's files, so it is hashed like them.
    let boot = write_hashed(&dist, "boot", "js", filled(BOOT, fill(BOOT)?)?.as_bytes())?;
    let html = filled("index.html", fill("index.html")?.replace("{{boot}}", &boot))?;
    write(&dist.join("index.html"), html.as_bytes())?;
    let mut copied = Vec::new();
    copy_static(&public, &dist, "", &mut copied)?;
    let mut precached = vec![
        String::new(),
        names.js.clone(),
        names.wasm.clone(),
        names.loader.clone(),
        css.clone(),
        boot.clone(),
        import_js.clone(),
        import_wasm.clone(),
    ];
    precached.extend(names.later.iter().cloned());
    precached.extend(copied);
    write_service_worker(&public, &dist, &precached)?;
    gzip_all(&dist)?;

    let first_load =
        [names.js.as_str(), names.loader.as_str(), names.wasm.as_str(), css.as_str(), boot.as_str(), "index.html"];
    let gzip = print_sizes(&dist, &first_load, "first visit, before the first-run form (html+js+wasm+css)");
    let at_start = names.needed_by(LATER_SPLIT)?;
    let later_gzip = print_sizes(&dist, &at_start, "later module, fetched at start (store, other pages, sync)");
    let cases: Vec<&str> = names.needed_by(CASES_SPLIT)?.into_iter().filter(|name| !at_start.contains(name)).collect();
    let cases_gzip =
        print_sizes(&dist, &cases, "case work, fetched when first used (cases, ledgers, dashboard, papers)");
    let unaccounted: Vec<&String> = names
        .later
        .iter()
        .filter(|name| !at_start.contains(&name.as_str()) && !cases.contains(&name.as_str()))
        .collect();
    if !unaccounted.is_empty() {
        return Err(format!("split modules that no split point needs: {unaccounted:?}"));
    }
    for name in [import_js.as_str(), import_wasm.as_str()] {
        let (raw, gzip) = (size(&dist.join(name)), size(&dist.join(format!("{name}.gz"))));
        eprintln!(
            "  {name:<32} {raw:>9} bytes  {gzip:>8} gzip  (roster import: loaded on first use, not on the first visit)"
        );
    }
    Ok(FirstLoad { gzip, later_gzip, cases_gzip })
}

/// Prints each file's size, raw and gzip, and their sums under `what`; returns the gzip sum.
fn print_sizes(dist: &Path, names: &[&str], what: &str) -> u64 {
    let (mut raw, mut gzip) = (0, 0);
    for name in names {
        let (file_raw, file_gzip) = (size(&dist.join(name)), size(&dist.join(format!("{name}.gz"))));
        eprintln!("  {name:<32} {file_raw:>9} bytes  {file_gzip:>8} gzip");
        raw += file_raw;
        gzip += file_gzip;
    }
    eprintln!("  {what}: {raw} bytes, {gzip} gzip");
    gzip
}

/// RUSTFLAGS replaces `.cargo/config.toml`'s rustflags for wasm32, so it repeats them.
const WASM_RELEASE_RUSTFLAGS: &str =
    "--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none";

/// `baoxue_split` turns app/src/later.rs's entry into a split point, and the relocations kept
/// in the output are what the splitter reads to cut the module. The import module gets them
/// too: other flags would rebuild the standard library for each module.
const SPLIT_RUSTFLAGS: &str = "--cfg baoxue_split -Clink-args=--emit-relocs";

/// The split points (`#[wasm_split(<name>)]`): app/src/later.rs and app/src/case_code.rs.
const LATER_SPLIT: &str = "later";
const CASES_SPLIT: &str = "cases";

/// The loader module the splitter writes: the main module imports it under this name, and it
/// imports the main module's glue (`initSync`) as "./app.js".
const SPLIT_LINK_NAME: &str = "./__wasm_split.js";

/// The app after the splitter, wasm-bindgen and wasm-opt: the main module in `bindgen_out`,
/// the loader and the later modules in the splitter's folder.
struct SplitApp {
    /// The main module: what draws the first screens.
    main: std::path::PathBuf,
    /// The loader js that fetches the later modules.
    loader: std::path::PathBuf,
    /// The later modules, optimised: one per split point and the chunks of code they share.
    later: Vec<std::path::PathBuf>,
    /// Split point -> the file stems of the modules it fetches (its chunks and its own).
    needs: std::collections::HashMap<String, Vec<String>>,
}

/// Builds the app and cuts it at its split point (app/src/later.rs) with the splitter Leptos
/// uses (`wasm_split_cli_support`, what `cargo leptos --split` runs): the main module goes
/// through wasm-bindgen (keeping the exports the later modules link against); every module
/// through wasm-opt.
fn build_split_app(tools: &Tools, bindgen_out: &Path) -> Result<SplitApp, String> {
    let built = build_wasm(tools, "baoxue-app")?;
    let split_dir = target_dir().join("wasm-split");
    if split_dir.exists() {
        std::fs::remove_dir_all(&split_dir)
            .map_err(|error| format!("cannot clear {}: {error}", split_dir.display()))?;
    }
    std::fs::create_dir_all(&split_dir).map_err(|error| error.to_string())?;
    let input = read(&built)?;
    let main_split = split_dir.join("app.wasm");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = &split_dir;
    options.main_out_path = &main_split;
    options.link_name = SPLIT_LINK_NAME;
    options.main_module = "./app.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|error| format!("cannot split {}: {error:#}", built.display()))?;
    if split.split_modules.is_empty() {
        return Err("the splitter found no split point in the app (app/src/later.rs)".to_owned());
    }
    let main = bindgen_and_optimise(tools, &main_split, "app", &["--keep-lld-exports"], bindgen_out)?;
    let mut later = Vec::new();
    for module in &split.split_modules {
        let optimised = module.with_extension("opt.wasm");
        wasm_opt(tools, module, &optimised)?;
        later.push(optimised);
    }
    Ok(SplitApp { main, loader: split_dir.join(SPLIT_LINK_NAME), later, needs: split.prefetch_map })
}

/// The names of the app's files in dist/.
struct AppNames {
    js: String,
    wasm: String,
    loader: String,
    /// Every later module's hashed name.
    later: Vec<String>,
    /// Split point -> the hashed names of the modules it fetches.
    needs: std::collections::HashMap<String, Vec<String>>,
}

impl AppNames {
    fn needed_by(&self, split: &str) -> Result<Vec<&str>, String> {
        let names = self.needs.get(split).ok_or_else(|| format!("the splitter found no split point {split:?}"))?;
        Ok(names.iter().map(String::as_str).collect())
    }
}

/// Writes the split app under content-hashed names. The glue (app.js) and the loader import
/// each other, so hashing both contents would go in a circle: the loader is named by a hash of
/// everything its final text follows from (its own text with the later modules' names, the
/// main wasm, the glue as wasm-bindgen wrote it), then the glue is rewritten to import it and
/// hashed, then the loader is rewritten to import the hashed glue.
fn write_split_app(dist: &Path, app: &SplitApp, glue: &[u8]) -> Result<AppNames, String> {
    let mut loader = String::from_utf8(read(&app.loader)?).map_err(|_| "the split loader is not UTF-8".to_owned())?;
    let mut later = Vec::new();
    let mut hashed_of = std::collections::HashMap::new();
    for module in &app.later {
        let file = module.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        let stem = file.trim_end_matches(".opt.wasm");
        let hashed = write_hashed(dist, &format!("later_{stem}"), "wasm", &read(module)?)?;
        hashed_of.insert(stem.to_owned(), hashed.clone());
        let quoted = format!("\"./{stem}.wasm\"");
        if !loader.contains(&quoted) {
            return Err(format!("the split loader does not fetch {quoted}: is the splitter of another version?"));
        }
        loader = loader.replace(&quoted, &format!("\"./{hashed}\""));
        later.push(hashed);
    }
    let main = read(&app.main)?;
    let loader_name = hashed_name("split", "js", &[loader.as_bytes(), &main, glue]);
    let glue = String::from_utf8(glue.to_vec()).map_err(|_| "app.js is not UTF-8".to_owned())?;
    // Only the `from "…"` of the imports (wasm-bindgen writes one per split point): the same
    // string is also the key of the wasm's imports object, which must stay the module name
    // compiled into the wasm.
    let import_from = format!("from \"{SPLIT_LINK_NAME}\"");
    if glue.matches(&import_from).count() != app.needs.len() {
        return Err(format!("app.js should import the split loader once per split point ({import_from})"));
    }
    let glue = glue.replace(&import_from, &format!("from \"./{loader_name}\""));
    let js = write_hashed(dist, "app", "js", glue.as_bytes())?;
    let glue_from = "from \"./app.js\"";
    if !loader.contains(glue_from) {
        return Err(format!("the split loader should import the glue ({glue_from})"));
    }
    let loader = loader.replace(glue_from, &format!("from \"./{js}\""));
    write(&dist.join(&loader_name), loader.as_bytes())?;
    let wasm = write_hashed(dist, "app_bg", "wasm", &main)?;
    let mut needs = std::collections::HashMap::new();
    for (split, stems) in &app.needs {
        let names = stems
            .iter()
            .map(|stem| hashed_of.get(stem).cloned().ok_or_else(|| format!("the splitter named no module {stem}")))
            .collect::<Result<Vec<_>, _>>()?;
        needs.insert(split.clone(), names);
    }
    Ok(AppNames { js, wasm, loader: loader_name, later, needs })
}

/// Builds one crate's wasm in the size-tuned profile and returns the path cargo wrote.
fn build_wasm(tools: &Tools, package: &str) -> Result<std::path::PathBuf, String> {
    // The standard library rebuilt with the app, its panics reduced to a trap, and no source
    // locations kept for them: about 18 KB gzip less wasm on the first visit
    // (docs/benchmarks.md). These are unstable options of the pinned stable compiler, enabled
    // for this one build by RUSTC_BOOTSTRAP; a panic then stops the app without a message,
    // which no teacher could read anyway. Tests, clippy and debug builds use plain stable.
    run(tools
        .cargo()
        .env("RUSTC_BOOTSTRAP", "1")
        .env("RUSTFLAGS", format!("{WASM_RELEASE_RUSTFLAGS} {SPLIT_RUSTFLAGS}"))
        .args(["build", "--package", package, "--lib", "--target", "wasm32-unknown-unknown"])
        .args(["--profile", "wasm-release", "-Zbuild-std=std,panic_abort"]))?;
    Ok(target_dir().join("wasm32-unknown-unknown/wasm-release").join(format!("{}.wasm", package.replace('-', "_"))))
}

/// Runs wasm-bindgen (`<name>.js`, `<name>_bg.wasm` in `out`) and wasm-opt on `wasm`, and
/// returns the optimised wasm's path.
fn bindgen_and_optimise(
    tools: &Tools,
    wasm: &Path,
    name: &str,
    bindgen_args: &[&str],
    out: &Path,
) -> Result<std::path::PathBuf, String> {
    run(tools
        .command("wasm-bindgen")
        .arg(wasm)
        .args(["--target", "web", "--no-typescript", "--out-name", name])
        .args(bindgen_args)
        .arg("--out-dir")
        .arg(out))?;
    let optimised = out.join(format!("{name}_bg.opt.wasm"));
    wasm_opt(tools, &out.join(format!("{name}_bg.wasm")), &optimised)?;
    Ok(optimised)
}

/// `wasm` without the custom sections a relocatable build adds ("linking", "reloc.*"): the
/// import module is built with the app's flags (`--emit-relocs` included, so the standard
/// library is built once for both), and with these sections wasm-opt optimises nothing.
fn without_link_sections(wasm: &[u8]) -> Result<Vec<u8>, String> {
    let malformed = |error: wasmparser::BinaryReaderError| format!("the import module's wasm is malformed: {error}");
    let mut module = wasm_encoder::Module::new();
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(malformed)?;
        if let wasmparser::Payload::CustomSection(custom) = &payload {
            if custom.name() == "linking" || custom.name().starts_with("reloc.") {
                continue;
            }
        }
        if let Some((id, range)) = payload.as_section() {
            let data = usize::try_from(range.start)
                .ok()
                .zip(usize::try_from(range.end).ok())
                .and_then(|(start, end)| wasm.get(start..end))
                .ok_or_else(|| format!("the import module's wasm has a section past its end ({range:?})"))?;
            module.section(&wasm_encoder::RawSection { id, data });
        }
    }
    Ok(module.finish())
}

fn wasm_opt(tools: &Tools, from: &Path, to: &Path) -> Result<(), String> {
    run(tools.command("wasm-opt").arg("-Oz").args(WASM_FEATURES).arg(from).arg("-o").arg(to))
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
    let name = hashed_name(stem, ext, &[bytes]);
    write(&dist.join(&name), bytes)?;
    Ok(name)
}

/// `<stem>-<16 hex digits of SHA-256 over parts>.<ext>`.
fn hashed_name(stem: &str, ext: &str, parts: &[&[u8]]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    let hash: String = hasher.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect();
    format!("{stem}-{hash}.{ext}")
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
        let skipped = ["index.html", "style.css", BOOT, SERVICE_WORKER].contains(&relative.as_str());
        if skipped || name.ends_with(".py") || !path.is_file() {
            continue;
        }
        std::fs::copy(&path, to.join(&*name)).map_err(|error| format!("cannot copy {relative}: {error}"))?;
        copied.push(relative);
    }
    Ok(())
}

/// The page's script, public/boot.js, written as boot-<hash>.js with this build's file names.
const BOOT: &str = "boot.js";

/// `text` of public/`file` once the build filled it in; an error if a `{{placeholder}}` is
/// left, which the page would request as a file that does not exist.
fn filled(file: &str, text: String) -> Result<String, String> {
    match text.find("{{") {
        Some(at) => {
            let name: String = text[at..].chars().take_while(|c| *c != '}').collect();
            Err(format!("public/{file} names {name}}}}}, which the build does not fill in (xtask/src/app_build.rs)"))
        }
        None => Ok(text),
    }
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

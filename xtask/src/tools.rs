//! Installing what the build and the tests need, only when it is missing. Each recipe is the
//! one TOOLCHAIN.md found to work on this machine kind with only the package registries
//! reachable: nothing downloads a prebuilt binary from elsewhere.

use crate::process::{as_root, output, repo_root, run, step};
use std::path::{Path, PathBuf};
use std::process::Command;

/// wasm-opt from Debian (binaryen 108) produces modules that fail to load; 132 from npm works.
const BINARYEN_VERSION: &str = "132";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

pub struct Tools {
    /// `$BAOXUE_TOOLS`: where the project installs its own tools.
    root: PathBuf,
    /// PATH for every command we start: our tools first.
    path: String,
}

impl Tools {
    /// What building the app needs.
    pub fn for_build() -> Result<Tools, String> {
        let tools = Tools::new()?;
        tools.ensure_wasm_target()?;
        tools.ensure_rust_src()?;
        tools.ensure_wasm_bindgen()?;
        tools.ensure_wasm_opt()?;
        Ok(tools)
    }

    /// What the tests need on top: Chromium and its driver, CJK fonts for screenshots,
    /// PostgreSQL, and the end-to-end test runner.
    pub fn for_tests() -> Result<Tools, String> {
        let tools = Tools::for_build()?;
        tools.ensure_debian_packages()?;
        tools.ensure_test_node_modules()?;
        Ok(tools)
    }

    fn new() -> Result<Tools, String> {
        let root = match std::env::var_os("BAOXUE_TOOLS") {
            Some(dir) => PathBuf::from(dir),
            None => {
                let home = std::env::var_os("HOME")
                    .ok_or("HOME is not set: set BAOXUE_TOOLS to a folder for the project's tools")?;
                PathBuf::from(home).join(".cache/baoxue-tools")
            }
        };
        std::fs::create_dir_all(&root).map_err(|error| format!("cannot create {}: {error}", root.display()))?;
        let mut dirs = vec![root.join("bin"), root.join("npm/node_modules/.bin")];
        dirs.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
        let path = std::env::join_paths(dirs).map_err(|error| error.to_string())?.to_string_lossy().into_owned();
        Ok(Tools { root, path })
    }

    /// A command that finds our tools first on its PATH.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path).current_dir(repo_root());
        command
    }

    pub fn cargo(&self) -> Command {
        self.command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
    }

    fn ensure_wasm_target(&self) -> Result<(), String> {
        let installed = output(self.command("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
        if installed.lines().any(|line| line.trim() == WASM_TARGET) {
            return Ok(());
        }
        step(&format!("installing the Rust target {WASM_TARGET}"));
        run(self.command("rustup").args(["target", "add", WASM_TARGET]))
    }

    /// The standard library's source: the release wasm rebuilds std for size (app_build.rs).
    fn ensure_rust_src(&self) -> Result<(), String> {
        let installed = output(self.command("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
        if installed.lines().any(|line| line.trim().starts_with("rust-src")) {
            return Ok(());
        }
        step("installing the Rust component rust-src");
        run(self.command("rustup").args(["component", "add", "rust-src"]))
    }

    /// The wasm-bindgen CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
    fn ensure_wasm_bindgen(&self) -> Result<(), String> {
        let wanted = locked_version("wasm-bindgen")?;
        let found = output(self.command("wasm-bindgen").arg("--version")).unwrap_or_default();
        if found.split_whitespace().nth(1) == Some(wanted.as_str()) {
            return Ok(());
        }
        step(&format!(
            "installing wasm-bindgen-cli {wanted} into {} (about 8 minutes on 2 cores)",
            self.root.display()
        ));
        // Not --locked: one of its locked dependencies is no longer on the registry.
        run(self.cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted, "--root"]).arg(&self.root))
    }

    fn ensure_wasm_opt(&self) -> Result<(), String> {
        let found = output(self.command("wasm-opt").arg("--version")).unwrap_or_default();
        if found.contains(&format!("version {BINARYEN_VERSION}")) {
            return Ok(());
        }
        step(&format!("installing wasm-opt (binaryen {BINARYEN_VERSION}, from npm)"));
        let prefix = self.root.join("npm");
        std::fs::create_dir_all(&prefix).map_err(|error| error.to_string())?;
        run(self
            .command("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&prefix)
            .arg(format!("binaryen@{BINARYEN_VERSION}")))
    }

    /// Chromium, its driver, CJK fonts (without them every Chinese character in a screenshot
    /// is an empty box) and the PostgreSQL server, from Debian's packages.
    fn ensure_debian_packages(&self) -> Result<(), String> {
        let mut missing = Vec::new();
        if !Path::new("/usr/bin/chromium").exists() {
            missing.push("chromium");
        }
        if !Path::new("/usr/bin/chromedriver").exists() {
            missing.push("chromium-driver");
        }
        if output(Command::new("dpkg-query").args(["-W", "-f", "${Status}", "fonts-noto-cjk"]))
            .is_none_or(|status| !status.contains("installed"))
        {
            missing.push("fonts-noto-cjk");
        }
        if postgres_bin_dir().is_none() {
            missing.push("postgresql");
        }
        if missing.is_empty() {
            return Ok(());
        }
        step(&format!("installing {} from Debian's packages", missing.join(", ")));
        run(as_root("apt-get").arg("update"))?;
        run(as_root("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))
    }

    fn ensure_test_node_modules(&self) -> Result<(), String> {
        let tests = repo_root().join("tests");
        let installed = tests.join("node_modules/.package-lock.json");
        let lock = tests.join("package-lock.json");
        if is_newer_or_same(&installed, &lock) {
            return Ok(());
        }
        step("installing the end-to-end test runner (npm ci in tests/)");
        run(self.command("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&tests))
    }
}

fn is_newer_or_same(file: &Path, than: &Path) -> bool {
    let modified = |path: &Path| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    matches!((modified(file), modified(than)), (Some(a), Some(b)) if a >= b)
}

/// The version of `package` in Cargo.lock.
fn locked_version(package: &str) -> Result<String, String> {
    let lock = std::fs::read_to_string(repo_root().join("Cargo.lock"))
        .map_err(|error| format!("cannot read Cargo.lock: {error}"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line {
            if let Some(version) = lines.next().and_then(|line| line.strip_prefix("version = \"")) {
                return Ok(version.trim_end_matches('"').to_owned());
            }
        }
    }
    Err(format!("Cargo.lock has no {package}: run `cargo generate-lockfile`"))
}

/// Where PostgreSQL's server programs are: on PATH, or in Debian's versioned folder.
pub fn postgres_bin_dir() -> Option<PathBuf> {
    if let Some(found) = output(Command::new("sh").args(["-c", "command -v pg_ctl"])) {
        let pg_ctl = PathBuf::from(found.trim());
        if pg_ctl.parent().is_some_and(|dir| dir.join("initdb").exists()) {
            return pg_ctl.parent().map(Path::to_path_buf);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| entry.ok().map(|entry| entry.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

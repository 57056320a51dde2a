//! A throwaway PostgreSQL server for the storage tests: its own data folder and port, started
//! here and stopped (and deleted) when the tests end, pass or fail.

use crate::process::{is_root, output, run, step};
use crate::tools::postgres_bin_dir;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct TestPostgres {
    bin: PathBuf,
    data: PathBuf,
    pub url: String,
}

impl TestPostgres {
    pub fn start() -> Result<TestPostgres, String> {
        let bin = postgres_bin_dir()
            .ok_or("PostgreSQL's server programs (initdb, pg_ctl) are not installed: run `cargo xtask setup`")?;
        let data = std::env::temp_dir().join(format!("baoxue-pg-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(&data).map_err(|error| format!("cannot create {}: {error}", data.display()))?;
        if is_root() {
            // PostgreSQL refuses to run as root: hand the folder to the postgres user.
            run(Command::new("chown").args(["postgres:postgres"]).arg(&data))?;
        }
        let port = free_port()?;
        step(&format!("starting a test PostgreSQL on 127.0.0.1:{port}"));
        let server = TestPostgres { bin, data, url: format!("postgres://postgres@127.0.0.1:{port}/postgres") };
        run(server
            .pg("initdb")
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&server.data)
            .arg("-E")
            .arg("UTF8"))?;
        let options = format!("-p {port} -k {} -c listen_addresses=127.0.0.1", server.data.display());
        run(server
            .pg("pg_ctl")
            .arg("-D")
            .arg(&server.data)
            .args(["-o", &options, "-w", "-l"])
            .arg(server.data.join("server.log"))
            .arg("start"))?;
        Ok(server)
    }

    fn pg(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        }
    }

    pub fn log(&self) -> String {
        output(Command::new("tail").arg("-n").arg("20").arg(self.data.join("server.log"))).unwrap_or_default()
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = self.pg("pg_ctl").arg("-D").arg(&self.data).args(["-m", "immediate", "stop"]).output();
        let _ = std::fs::remove_dir_all(Path::new(&self.data));
    }
}

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|error| format!("cannot find a free port: {error}"))?;
    listener.local_addr().map(|address| address.port()).map_err(|error| error.to_string())
}

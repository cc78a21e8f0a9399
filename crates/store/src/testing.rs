//! Test support (the `testing` feature): a PostgreSQL server that tests may create databases on,
//! and a fresh, empty database on it per test, so the store's tests run the same bodies against
//! SQLite and PostgreSQL on any machine, with no manual setup.
//!
//! [`postgres_server`] is `$KONTERA_TEST_POSTGRES` when set. Otherwise it is a private cluster in
//! `<CARGO_TARGET_DIR or target>/kontera-postgres/` that the first test on the machine initialises
//! (installing Debian's `postgresql` with apt-get when no server binaries are found) and starts.
//! **The cluster is left running** when the tests end, so that the next test binary finds it
//! ready; its `README` file names the exact command that stops it, which is
//! `pg_ctl -D <target>/kontera-postgres/data stop` (`pg_ctl` is in
//! `/usr/lib/postgresql/<version>/bin` on Debian; as root, prefix `runuser -u postgres --`). A
//! stopped cluster is started again by the next test. When the directory is deleted, the next test
//! initialises a new cluster (and a server whose data directory was deleted stops by itself
//! within a minute, when it notices its lock file gone).
//!
//! The directory holds:
//! - `lock`: locked (exclusively) by the process that initialises or starts the cluster, so test
//!   binaries and threads running at once do it once;
//! - `port`: the server's TCP port on 127.0.0.1, chosen free at initialisation; written last, so
//!   without it the cluster is initialised again;
//! - `data/`: the data directory (superuser role `kontera`, trust authentication, listening on
//!   127.0.0.1 only, `max_connections = 300`, our settings in `data/kontera.conf`), `log`: the
//!   server's log, `socket/`: its unix socket;
//! - `README`: what this is, the port, and how to stop it.
//!
//! PostgreSQL refuses to run as root: for root, the server runs as the `postgres` system user
//! (Debian's package creates it) and the directory is given to that user. When it cannot reach the
//! directory (a target directory under `/root`, mode 700, say), `data/`, `log` and `socket/` live
//! in `/var/tmp/kontera-postgres/<hash of the directory's path>/` instead, and `cluster` in the
//! directory is a symbolic link to them (deleting the directory then has the next test stop that
//! server and initialise it afresh; `cargo clean` leaves it running, so stop it first).
//!
//! [`fresh_postgres_database`] never drops what it creates (a test has no teardown). Instead, on
//! the private cluster, each process's first call has `psql` drop the databases of test processes
//! that have ended (the creator's process id is in the name), so that they do not pile up (7 MB
//! each). `psql` is not waited for and outlives the process if need be: a `DROP DATABASE` waits for
//! a checkpoint (a quarter of a second on a busy machine) and a run may leave a hundred.

use std::fs::{self, File, Permissions};
use std::net::{Ipv4Addr, TcpListener};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgConnection;
use sqlx::{AssertSqlSafe, Connection};

/// The environment variable naming a server to use instead of the private cluster.
const SERVER_VARIABLE: &str = "KONTERA_TEST_POSTGRES";

/// The superuser role the private cluster is initialised with.
const ROLE: &str = "kontera";

/// `max_connections` of the private cluster: many test binaries and threads at once.
const MAX_CONNECTIONS: u32 = 300;

/// Where the server's files go for root when the `postgres` user cannot reach the target dir.
const ROOT_FALLBACK: &str = "/var/tmp/kontera-postgres";

const HINT: &str = "install PostgreSQL's server (on Debian: `apt-get install -y postgresql`), \
    or set KONTERA_TEST_POSTGRES to the URL of a server on which the tests may create databases \
    (e.g. postgres://kontera@127.0.0.1:5433/postgres)";

/// The URL of a PostgreSQL server tests may create databases on (connects as a superuser role).
/// `$KONTERA_TEST_POSTGRES` when set (e.g. postgres://kontera@127.0.0.1:5433/postgres);
/// else a private cluster this function initialises and starts once per machine.
///
/// The private cluster is left running afterwards, for the next test binary (the module
/// documentation says how to stop it). Panics, saying what to install or do, when there is no
/// server and none can be started.
pub fn postgres_server() -> String {
    server().url.clone()
}

/// A new, empty database with a unique name on that server; returns its URL.
pub async fn fresh_postgres_database() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let server = server();
    let mut connection = PgConnection::connect(&server.url)
        .await
        .unwrap_or_else(|e| panic!("connecting to {}: {e}", server.describe()));
    if let Some(psql) = &server.psql {
        drop_ended_databases(&mut connection, psql, &server.url).await;
    }
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "kt_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    sqlx::raw_sql(AssertSqlSafe(format!(r#"CREATE DATABASE "{name}""#)))
        .execute(&mut connection)
        .await
        .unwrap_or_else(|e| panic!("creating database {name} on {}: {e}", server.describe()));
    let _ = connection.close().await;
    with_database(&server.url, &name)
}

/// The server of this process, found or started on first use.
#[derive(Debug)]
struct Server {
    url: String,
    /// The private cluster (not `$KONTERA_TEST_POSTGRES`).
    private: bool,
    /// The private cluster's `psql`, when installed.
    psql: Option<PathBuf>,
}

impl Server {
    /// The server for messages; `$KONTERA_TEST_POSTGRES` may hold a password.
    fn describe(&self) -> String {
        if self.private {
            format!("the tests' PostgreSQL cluster at {}", self.url)
        } else {
            format!("the PostgreSQL server in ${SERVER_VARIABLE}")
        }
    }
}

fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var(SERVER_VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Server {
            url,
            private: false,
            psql: None,
        },
        _ => private_cluster(),
    })
}

/// `url` with its database (the path) replaced by `name`, keeping any query parameters.
fn with_database(url: &str, name: &str) -> String {
    let (base, rest) = url.split_at(url.find(['?', '#']).unwrap_or(url.len()));
    let authority = base.find("://").map_or(0, |i| i + 3);
    let path = base[authority..]
        .find('/')
        .map_or(base.len(), |i| authority + i);
    format!("{}/{name}{rest}", &base[..path])
}

/// Once per process (Linux only: it looks in `/proc`): has `psql` drop the test databases
/// (`kt_<pid>_<counter>_<nanos>`) whose creating process has ended. `psql` is not waited for;
/// failures are ignored (another process may be dropping the same databases).
async fn drop_ended_databases(connection: &mut PgConnection, psql: &Path, url: &str) {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::Relaxed) || !Path::new("/proc/self").exists() {
        return;
    }
    let names: Vec<String> =
        sqlx::query_scalar(r"SELECT datname FROM pg_database WHERE datname LIKE 'kt\_%'")
            .fetch_all(&mut *connection)
            .await
            .unwrap_or_default();
    let own = std::process::id().to_string();
    let ended: Vec<String> = names
        .into_iter()
        .filter(|name| {
            let parts: Vec<&str> = name.split('_').collect();
            parts.len() == 4
                && parts[0] == "kt"
                && parts[1..]
                    .iter()
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && parts[1] != own
                && !Path::new("/proc").join(parts[1]).exists()
        })
        .collect();
    if ended.is_empty() {
        return;
    }
    let mut command = Command::new(psql);
    command.args(["-X", "-q", "-d", url]);
    for name in &ended {
        command
            .arg("-c")
            .arg(format!(r#"DROP DATABASE IF EXISTS "{name}" WITH (FORCE)"#));
    }
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Ok(mut child) = command.spawn() {
        // Reaped if it ends first; otherwise it goes on after this process has exited.
        let _ = std::thread::Builder::new()
            .name("kontera-test-postgres-cleanup".to_owned())
            .spawn(move || child.wait());
    }
}

/// Finds, initialises or starts the private cluster.
fn private_cluster() -> Server {
    let home = cluster_home();
    fs::create_dir_all(&home).unwrap_or_else(|e| panic!("creating {}: {e}", home.display()));
    let home = home
        .canonicalize()
        .unwrap_or_else(|e| panic!("resolving {}: {e}", home.display()));
    // Held until this function returns: one process at a time initialises or starts it.
    let lock_path = home.join("lock");
    let lock = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .unwrap_or_else(|e| panic!("opening {}: {e}", lock_path.display()));
    lock.lock()
        .unwrap_or_else(|e| panic!("locking {}: {e}", lock_path.display()));

    let began = Instant::now();
    let bin = server_binaries();
    let runner = Runner::detect();
    let mut cluster = Cluster::locate(home, bin, runner);
    let mut done = Vec::new();
    if !cluster.initialised() {
        cluster.init();
        done.push("initialised");
    }
    if !cluster.running() {
        cluster.start();
        done.push("started");
    }
    if !done.is_empty() {
        eprintln!(
            "kontera-store tests: {} the PostgreSQL cluster in {} ({:.1} s); it is left \
             running, stop it with `{}`",
            done.join(" and "),
            cluster.dir.display(),
            began.elapsed().as_secs_f64(),
            cluster.stop_command(),
        );
    }
    drop(lock);
    let psql = cluster.bin.join("psql");
    Server {
        url: format!("postgres://{ROLE}@127.0.0.1:{}/postgres", cluster.port),
        private: true,
        psql: psql.is_file().then_some(psql),
    }
}

/// `<CARGO_TARGET_DIR or the workspace's target>/kontera-postgres`. A relative
/// `CARGO_TARGET_DIR` is taken from the workspace root.
fn cluster_home() -> PathBuf {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| workspace.join("target"), |dir| workspace.join(dir));
    target.join("kontera-postgres")
}

/// The directory holding `initdb` and `pg_ctl`: Debian's `/usr/lib/postgresql/<version>/bin`
/// (the highest version), else `pg_config --bindir`, else `PATH`. Installs Debian's `postgresql`
/// when there is none.
fn server_binaries() -> PathBuf {
    if let Some(bin) = find_binaries() {
        return bin;
    }
    install_postgresql();
    find_binaries()
        .unwrap_or_else(|| panic!("no initdb and pg_ctl even after installing postgresql: {HINT}"))
}

fn find_binaries() -> Option<PathBuf> {
    let complete = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    let mut debian: Vec<(Vec<u32>, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name();
            let version = name
                .to_str()?
                .split('.')
                .map(|part| part.parse().ok())
                .collect::<Option<Vec<u32>>>()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, bin)| complete(bin))
        .collect();
    debian.sort();
    if let Some((_, bin)) = debian.pop() {
        return Some(bin);
    }
    let pg_config = Command::new("pg_config")
        .arg("--bindir")
        .stderr(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    pg_config
        .into_iter()
        .chain(path_dirs())
        .find(|dir| complete(dir))
}

fn path_dirs() -> Vec<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).collect())
        .unwrap_or_default()
}

/// `apt-get update && apt-get install -y postgresql`, as root or through password-less `sudo`
/// (apt's lock is waited for). Panics, saying what to install, when that is impossible.
fn install_postgresql() {
    let has_apt = Command::new("apt-get")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        has_apt,
        "no PostgreSQL server binaries (initdb, pg_ctl) found: {HINT}"
    );
    let root = is_root();
    let apt = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command
            .args(["-o", "DPkg::Lock::Timeout=300", "-qq"])
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    eprintln!(
        "kontera-store tests: no PostgreSQL server found; installing postgresql with apt-get"
    );
    let installed = apt(&["update"]) && apt(&["install", "-y", "postgresql"]);
    assert!(
        installed,
        "no PostgreSQL server binaries (initdb, pg_ctl) found, and installing Debian's \
         postgresql with apt-get failed (it needs root or password-less sudo): {HINT}"
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| out.stdout.trim_ascii() == b"0")
}

/// Who runs the server's programs: this user, or (for root) the `postgres` system user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Runner {
    Me,
    Postgres,
}

impl Runner {
    fn detect() -> Runner {
        if !is_root() {
            return Runner::Me;
        }
        let user_exists = Command::new("id")
            .args(["-u", "postgres"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        assert!(
            user_exists,
            "the tests run as root, and PostgreSQL refuses to run as root, but there is no \
             `postgres` system user to run it as (Debian's postgresql package creates one): \
             create it, run the tests as a normal user, or set KONTERA_TEST_POSTGRES to a \
             server's URL"
        );
        Runner::Postgres
    }

    /// `program` as this runner, in `dir` (which the runner can enter), stdin closed.
    fn command(self, program: &Path, dir: &Path) -> Command {
        let mut command = match self {
            Runner::Me => Command::new(program),
            Runner::Postgres => {
                let mut runuser = Command::new("runuser");
                runuser.args(["-u", "postgres", "--"]).arg(program);
                runuser
            }
        };
        command.current_dir(dir).stdin(Stdio::null());
        command
    }

    /// The prefix of a shell command run as this runner.
    fn shell_prefix(self) -> &'static str {
        match self {
            Runner::Me => "",
            Runner::Postgres => "runuser -u postgres -- ",
        }
    }
}

/// Runs `command`, panicking when it cannot be started at all.
fn output(command: &mut Command, what: &str) -> Output {
    command
        .output()
        .unwrap_or_else(|e| panic!("running {what} ({command:?}): {e}"))
}

/// What a failed command said.
fn said(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The private cluster's files and port.
#[derive(Debug)]
struct Cluster {
    /// `<target>/kontera-postgres`: `lock`, `port`, `README` (and `cluster`, for root's fallback).
    home: PathBuf,
    /// `data/`, `log` and `socket/`: `home`, or root's fallback under [`ROOT_FALLBACK`].
    dir: PathBuf,
    /// Where `initdb` and `pg_ctl` are.
    bin: PathBuf,
    runner: Runner,
    /// 0 when not initialised.
    port: u16,
    /// The binaries' major version (`15`, or `9.6` before 10), as in `data/PG_VERSION`.
    version: String,
}

impl Cluster {
    fn locate(home: PathBuf, bin: PathBuf, runner: Runner) -> Cluster {
        let dir = fs::read_link(home.join("cluster")).unwrap_or_else(|_| home.clone());
        let port = fs::read_to_string(home.join("port"))
            .ok()
            .and_then(|port| port.trim().parse().ok())
            .unwrap_or(0);
        let version = major_version(&bin);
        Cluster {
            home,
            dir,
            bin,
            runner,
            port,
            version,
        }
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.join("log")
    }

    fn pg_ctl(&self) -> Command {
        let mut command = self.runner.command(&self.bin.join("pg_ctl"), &self.dir);
        command.arg("-D").arg(self.data());
        command
    }

    fn stop_command(&self) -> String {
        format!(
            "{}{} -D {} stop",
            self.runner.shell_prefix(),
            self.bin.join("pg_ctl").display(),
            self.data().display()
        )
    }

    /// Initialised by these binaries' major version, with its port recorded.
    fn initialised(&self) -> bool {
        self.port != 0
            && fs::read_to_string(self.data().join("PG_VERSION"))
                .is_ok_and(|version| version.trim() == self.version)
    }

    fn running(&self) -> bool {
        let mut status = self.pg_ctl();
        status.arg("status");
        output(&mut status, "pg_ctl status").status.success()
    }

    /// A new cluster, replacing whatever is left of an earlier one; not started.
    fn init(&mut self) {
        let _ = fs::remove_file(self.home.join("port"));
        self.discard();
        let link = self.home.join("cluster");
        let _ = fs::remove_file(&link);
        self.dir = self.home.clone();
        if self.runner == Runner::Postgres {
            give_to_postgres(&self.home);
            if !self.postgres_can_write(&self.home) {
                let parent = Path::new(ROOT_FALLBACK);
                fs::create_dir_all(parent)
                    .and_then(|()| fs::set_permissions(parent, Permissions::from_mode(0o755)))
                    .unwrap_or_else(|e| panic!("creating {ROOT_FALLBACK}: {e}"));
                self.dir = parent.join(format!(
                    "{:016x}",
                    fnv1a(self.home.as_os_str().as_encoded_bytes())
                ));
                // What an earlier cluster of this directory left there (its `cluster` link gone).
                self.discard();
                std::os::unix::fs::symlink(&self.dir, &link).unwrap_or_else(|e| {
                    panic!("linking {} to {}: {e}", link.display(), self.dir.display())
                });
            }
        }
        let socket = self.dir.join("socket");
        fs::create_dir_all(&socket)
            .unwrap_or_else(|e| panic!("creating {}: {e}", socket.display()));
        if self.runner == Runner::Postgres {
            give_to_postgres(&self.dir);
        }

        let mut initdb = self.runner.command(&self.bin.join("initdb"), &self.dir);
        initdb.arg("-D").arg(self.data()).args([
            "--auth=trust",
            "-U",
            ROLE,
            "--encoding=UTF8",
            "--no-locale",
        ]);
        let out = output(&mut initdb, "initdb");
        assert!(
            out.status.success(),
            "initdb of the tests' PostgreSQL cluster in {} failed:\n{}",
            self.data().display(),
            said(&out)
        );
        let conf = self.data().join("postgresql.conf");
        let mut settings =
            fs::read_to_string(&conf).unwrap_or_else(|e| panic!("reading {}: {e}", conf.display()));
        settings.push_str(
            "\n# Kontera's test settings (crates/store/src/testing.rs).\n\
             include = 'kontera.conf'\n",
        );
        fs::write(&conf, settings).unwrap_or_else(|e| panic!("writing {}: {e}", conf.display()));
        self.set_port(free_port());
    }

    /// Stops a server left running on `data/` and deletes it and its log.
    fn discard(&self) {
        let data = self.data();
        if !data.exists() {
            return;
        }
        let mut stop = self.pg_ctl();
        stop.args(["stop", "-m", "immediate"]);
        let _ = stop.output();
        fs::remove_dir_all(&data).unwrap_or_else(|e| panic!("deleting {}: {e}", data.display()));
        let _ = fs::remove_file(self.log());
    }

    fn postgres_can_write(&self, dir: &Path) -> bool {
        let mut test = self.runner.command(Path::new("test"), Path::new("/"));
        test.arg("-w").arg(dir);
        output(&mut test, "test -w").status.success()
    }

    /// Writes `port` into the server's settings and into the `port` file, and the README.
    fn set_port(&mut self, port: u16) {
        self.port = port;
        let socket = self.dir.join("socket");
        // A unix socket's path has at most 107 bytes; quotes would need escaping. Without a
        // socket the server is reached over TCP, which is all the tests use.
        let usable = socket
            .join(format!(".s.PGSQL.{port}"))
            .to_str()
            .is_some_and(|path| path.len() <= 107 && !path.contains(['\'', '"', '\\']));
        let sockets = if usable {
            format!("'\"{}\"'", socket.display())
        } else {
            "''".to_owned()
        };
        let settings = format!(
            "# Written by kontera-store's testing.rs (crates/store/src/testing.rs).\n\
             listen_addresses = '127.0.0.1'\n\
             port = {port}\n\
             unix_socket_directories = {sockets}\n\
             max_connections = {MAX_CONNECTIONS}\n"
        );
        write_file(&self.data().join("kontera.conf"), &settings);
        let readme = format!(
            "The PostgreSQL cluster of Kontera's tests (crates/store/src/testing.rs).\n\n\
             It listens on 127.0.0.1:{port} (superuser `{ROLE}`, no password: \
             postgres://{ROLE}@127.0.0.1:{port}/postgres).\n\
             Data: {data}\nLog: {log}\n\n\
             It is left running between test runs. Stop it with\n\n    {stop}\n\n\
             The next test starts it again. {renew}\n",
            renew = if self.dir == self.home {
                "Delete this directory to have the next test initialise a new cluster; a \
                 running server stops by itself within a minute when its data directory is gone."
            } else {
                "Delete this directory to have the next test stop that server, delete its data \
                 and initialise a new cluster. Stop the server before deleting the whole target \
                 directory (cargo clean): its data is not in there, and it would go on running."
            },
            data = self.data().display(),
            log = self.log().display(),
            stop = self.stop_command(),
        );
        write_file(&self.home.join("README"), &readme);
        // Last: a `port` file means a complete cluster.
        write_file(&self.home.join("port"), &format!("{port}\n"));
    }

    /// `pg_ctl start`, waiting until the server accepts connections. When another program has
    /// taken the port meanwhile, moves to a new free port (up to three tries).
    fn start(&mut self) {
        for attempt in 1..=3 {
            let log = self.log();
            let logged = fs::metadata(&log).map_or(0, |m| m.len());
            let mut start = self.pg_ctl();
            start.args(["start", "-w", "-t", "120", "-l"]).arg(&log);
            let out = output(&mut start, "pg_ctl start");
            if out.status.success() {
                return;
            }
            let new_log = fs::read(&log)
                .map(|bytes| {
                    let from = usize::try_from(logged).unwrap_or(0).min(bytes.len());
                    String::from_utf8_lossy(&bytes[from..]).into_owned()
                })
                .unwrap_or_default();
            if attempt < 3 && new_log.contains("Address already in use") {
                let port = free_port();
                eprintln!(
                    "kontera-store tests: port {} is taken; the PostgreSQL cluster moves to {port}",
                    self.port
                );
                self.set_port(port);
                continue;
            }
            panic!(
                "could not start the tests' PostgreSQL cluster in {} (delete that directory to \
                 have it initialised again):\n{}\nits log:\n{new_log}",
                self.dir.display(),
                said(&out)
            );
        }
    }
}

/// `chown -R postgres dir`.
fn give_to_postgres(dir: &Path) {
    let out = output(
        Command::new("chown").args(["-R", "postgres"]).arg(dir),
        "chown",
    );
    assert!(
        out.status.success(),
        "chown -R postgres {} failed: {}",
        dir.display(),
        said(&out)
    );
}

/// The major version of the server binaries in `bin`, as `initdb` writes it to `PG_VERSION`.
fn major_version(bin: &Path) -> String {
    let out = output(
        Command::new(bin.join("pg_ctl")).arg("--version"),
        "pg_ctl --version",
    );
    // "pg_ctl (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)"
    let text = String::from_utf8_lossy(&out.stdout);
    let full = text.split_whitespace().nth(2).unwrap_or_default();
    let mut parts = full.split(|c: char| !c.is_ascii_digit());
    let major = parts.next().unwrap_or_default();
    match major.parse::<u32>() {
        Ok(m) if m < 10 => format!("{major}.{}", parts.next().unwrap_or_default()),
        _ => major.to_owned(),
    }
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`.
fn write_file(path: &Path, text: &str) {
    let temporary = path.with_extension("new");
    fs::write(&temporary, text)
        .and_then(|()| fs::rename(&temporary, path))
        .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

/// A loopback TCP port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// 64-bit FNV-1a: a stable name for a path (std's hashers may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Declares each named `async fn(Engine)` test once per engine, as `sqlite::NAME` and
/// `postgres::NAME`: the same body on both. The calling crate needs `tokio` (with `macros` and
/// `rt-multi-thread`) among its dev-dependencies.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(kontera_store::Engine::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    super::$name(kontera_store::Engine::Postgres).await
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_is_replaced_and_parameters_kept() {
        let name = "kt_1_2_3";
        assert_eq!(
            with_database("postgres://kontera@127.0.0.1:5433/postgres", name),
            "postgres://kontera@127.0.0.1:5433/kt_1_2_3"
        );
        assert_eq!(
            with_database("postgres://u:p@db:5432", name),
            "postgres://u:p@db:5432/kt_1_2_3"
        );
        assert_eq!(
            with_database(
                "postgres://u@db/postgres?sslmode=disable&host=/run/pg",
                name
            ),
            "postgres://u@db/kt_1_2_3?sslmode=disable&host=/run/pg"
        );
        assert_eq!(
            with_database("postgresql:///postgres?host=/tmp", name),
            "postgresql:///kt_1_2_3?host=/tmp"
        );
    }
}

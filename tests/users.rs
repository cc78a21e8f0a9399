//! The user administration from the command line, and the first administrator a fresh database
//! gets: real binaries, real sign-in, and no password in the log.

mod common;

use std::process::Command;

use common::{Server, post_form, request};

fn kontera(args: &[&str], database: &std::path::Path) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
        .args(args)
        .arg("--database")
        .arg(database)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// One request with a bearer token; the status.
fn status_with(addr: &str, method: &str, path: &str, token: &str) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer[9..12].parse().unwrap()
}

#[test]
fn users_added_on_the_command_line_get_their_roles_rights() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let (ok, out, err) = kontera(
        &[
            "users",
            "add",
            "anna",
            "--role",
            "controller",
            "--areas",
            "schools,care",
            "--token",
            "laptop",
        ],
        &db,
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("added anna (controller, areas care,schools)"),
        "{out}"
    );
    let password = out
        .lines()
        .find_map(|l| l.strip_prefix("password: "))
        .unwrap();
    assert_eq!(password.len(), 20);
    let token = out
        .lines()
        .find_map(|l| l.strip_prefix("token: "))
        .unwrap()
        .to_owned();
    assert!(token.starts_with("kt_"));
    assert!(
        out.contains(
            "(the token \"laptop\" is shown this once: only its digest is stored; \
             `kontera users token anna --label LABEL` makes another)"
        ),
        "{out}"
    );

    let (ok, _, err) = kontera(&["users", "add", "bo", "--role", "controller"], &db);
    assert!(
        !ok && err.contains("--areas"),
        "a controller needs areas: {err}"
    );
    let (ok, _, err) = kontera(&["users", "add", "anna", "--role", "admin"], &db);
    assert!(!ok && err.contains("exists already"), "{err}");
    let (ok, _, err) = kontera(&["users", "add", "cy", "--role", "boss"], &db);
    assert!(!ok && err.contains("not a role"), "{err}");

    let server = Server::start(&db);
    // The controller's token opens the review queue, not the coding API.
    assert_eq!(status_with(&server.addr, "GET", "/v1/reviews", &token), 200);
    assert_eq!(status_with(&server.addr, "GET", "/v1/models", &token), 403);
    assert_eq!(
        status_with(&server.addr, "GET", "/v1/reviews", "kt_wrong"),
        401
    );
    // The integration user of the test harness may code but not read the queue.
    assert_eq!(
        status_with(&server.addr, "GET", "/v1/reviews", common::TOKEN),
        403
    );

    let (ok, out, err) = kontera(&["users", "set", "anna", "--disable"], &db);
    assert!(ok && out.contains("changed anna"), "{err}");
    // The service trusts a token for at most a second after a change made elsewhere.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(status_with(&server.addr, "GET", "/v1/reviews", &token), 401);
    let (_, list, _) = kontera(&["users", "list"], &db);
    assert!(
        list.contains("anna\tcontroller, areas care,schools (disabled)"),
        "{list}"
    );
    assert!(list.contains("erp\tintegration"), "{list}");
    let log = server.stop();
    assert!(!log.contains(&token) && !log.contains(password), "{log}");
}

#[test]
fn a_fresh_database_gets_an_administrator_whose_password_is_in_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let server = Server::start_bare(&db);
    let file = dir.path().join("fresh.db.admin-password");
    let mut waited = 0;
    while !server.log().contains("first start") && waited < 50 {
        std::thread::sleep(std::time::Duration::from_millis(100));
        waited += 1;
    }
    assert!(
        server.log().contains(&file.display().to_string()),
        "{}",
        server.log()
    );
    let password = std::fs::read_to_string(&file).unwrap().trim().to_owned();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Signing in with it sets a session cookie and leads to the administrators' page.
    let body = format!("name=admin&password={password}");
    let answer = post_form(&server.addr, "/login", &body);
    assert!(answer.starts_with("HTTP/1.1 303"), "{answer}");
    assert!(answer.contains("location: /admin"), "{answer}");
    assert!(answer.contains("kontera_session="), "{answer}");
    assert!(answer.contains("HttpOnly; SameSite=Strict"), "{answer}");
    let wrong = post_form(
        &server.addr,
        "/login",
        "name=admin&password=wrong-password-1",
    );
    assert!(wrong.starts_with("HTTP/1.1 401"), "{wrong}");
    assert!(!wrong.contains("kontera_session="), "{wrong}");
    // Everything but health and readiness needs credentials.
    assert_eq!(request(&server.addr, "GET", "/healthz", "").unwrap().0, 200);
    let log = server.stop();
    assert!(
        !log.contains(&password),
        "the password is never logged: {log}"
    );
}

#[test]
fn the_tools_reach_the_organisation_they_are_given() {
    // A deployment of two organisations, and the tools run as `kontera-retrain` runs them for
    // the second: KONTERA_ORGANISATION and that organisation's KONTERA_MODELS_DIR.
    let dir = tempfile::tempdir().unwrap();
    let odense_models = common::model_versions(&dir.path().join("odense"), &["default"]);
    std::fs::write(
        dir.path().join("odense.toml"),
        format!("models_dir = {:?}\n", odense_models.display().to_string()),
    )
    .unwrap();
    let config = dir.path().join("kontera.toml");
    std::fs::write(&config, "[organisations]\nodense = \"odense.toml\"\n").unwrap();
    let database = dir.path().join("k.db");
    let config_arg = config.to_str().unwrap();
    let as_odense = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kontera"))
            .args(args)
            .args(["--config", config_arg, "--database"])
            .arg(&database)
            .env("KONTERA_ORGANISATION", "odense")
            .env("KONTERA_MODELS_DIR", &odense_models)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "kontera {args:?}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    let added = as_odense(&["users", "add", "bruno", "--role", "admin", "--no-password"]);
    assert!(added.contains("added bruno"), "{added}");
    assert!(as_odense(&["users", "list"]).contains("bruno"));
    let models = as_odense(&["models", "list"]);
    assert!(models.contains("default"), "{models}");
    let out = dir.path().join("export");
    as_odense(&["export-reviews", "--out", out.to_str().unwrap()]);
    assert!(out.join("postings.csv").exists());

    // The first organisation has none of it: its own file, its own users.
    let (ok, first, err) = kontera(&["users", "list", "--config", config_arg], &database);
    assert!(ok, "{err}");
    assert!(!first.contains("bruno"), "{first}");
    assert!(dir.path().join("k.odense.db").exists());
    // An organisation the deployment does not have is refused, naming the ones it has.
    let (ok, _, err) = kontera(
        &[
            "users",
            "list",
            "--config",
            config_arg,
            "--organisation",
            "vejle",
        ],
        &database,
    );
    assert!(!ok);
    assert!(
        err.contains("\"vejle\" is not an organisation of this deployment"),
        "{err}"
    );
    assert!(err.contains("default, odense"), "{err}");
}

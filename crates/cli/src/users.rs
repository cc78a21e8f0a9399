//! `kontera users`: manage who may use the service from the command line (the administrators'
//! page does the same in the browser). Generated passwords and tokens are printed once, on
//! standard output, and stored only as hashes.

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::{Context, bail};
use kontera_serve::auth::secret;
use kontera_serve::{Config, clock};
use kontera_store::{Role, Store, UserChange};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Configuration file (TOML), for the database; `KONTERA_*` variables override it.
    #[arg(long, env = "KONTERA_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Which organisation of a deployment of several (see `organisations` in the configuration)
    /// [default: the configuration file's own].
    #[arg(long, env = "KONTERA_ORGANISATION", global = true)]
    organisation: Option<String>,
    /// SQLite file or PostgreSQL URL (postgres://…) [default: the configuration's, else kontera.db].
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: UsersCommand,
}

#[derive(Debug, clap::Subcommand)]
enum UsersCommand {
    /// Add a user. Prints a generated password (unless --no-password) and, with --token, an API
    /// token.
    Add {
        /// Sign-in name, e.g. anna.berg.
        name: String,
        /// integration, controller, analyst or admin.
        #[arg(long)]
        role: String,
        /// Areas a controller works, comma-separated; `*` for every area.
        #[arg(long, value_delimiter = ',')]
        areas: Vec<String>,
        /// No password: the user can only use API tokens (e.g. an ERP integration).
        #[arg(long)]
        no_password: bool,
        /// Read the password from standard input instead of generating one.
        #[arg(long, conflicts_with = "no_password")]
        password_stdin: bool,
        /// Also create an API token with this label.
        #[arg(long)]
        token: Option<String>,
    },
    /// List users with their roles and areas.
    List,
    /// Create an API token for a user; prints it once.
    Token {
        name: String,
        /// What the token is for, e.g. "ERP production".
        #[arg(long, default_value = "api")]
        label: String,
    },
    /// Change a user's areas, password, or disable or enable them.
    Set {
        name: String,
        /// Replace the user's areas (comma-separated; `*` for all).
        #[arg(long, value_delimiter = ',')]
        areas: Option<Vec<String>>,
        /// Generate and print a new password.
        #[arg(long)]
        new_password: bool,
        /// Disable the user (ends their sessions; tokens stop working).
        #[arg(long, conflicts_with = "enable")]
        disable: bool,
        /// Enable a disabled user.
        #[arg(long)]
        enable: bool,
    },
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let config = Config::load(args.config.as_deref(), |name| std::env::var(name).ok())?;
    let (config, organisation) = config.select_organisation(args.organisation.as_deref())?;
    let database = args.database.unwrap_or(config.database);
    let runtime = tokio::runtime::Runtime::new().context("starting the async runtime")?;
    runtime.block_on(async {
        let store = Store::open_organisation(&database, organisation.as_deref()).await?;
        let result = command(&store, args.command).await;
        store.close().await;
        result
    })
}

async fn command(store: &Store, command: UsersCommand) -> anyhow::Result<()> {
    let (_, now) = clock::now();
    match command {
        UsersCommand::Add {
            name,
            role,
            areas,
            no_password,
            password_stdin,
            token,
        } => {
            let role = Role::parse(&role).with_context(|| {
                format!(
                    "--role {role:?} is not a role; give integration, controller, analyst or admin"
                )
            })?;
            if role == Role::Controller && areas.is_empty() {
                bail!(
                    "a controller works some areas: give --areas, e.g. --areas schools,care (or * for all)"
                );
            }
            let password = if no_password {
                None
            } else if password_stdin {
                Some(read_password()?)
            } else {
                Some(secret::new_password()?)
            };
            let hash = password.as_deref().map(secret::hash_password).transpose()?;
            let user = store
                .add_user(&name, role, hash.as_deref(), &areas, now)
                .await?;
            println!(
                "added {} ({}{})",
                user.name,
                user.role,
                areas_note(&user.areas)
            );
            if let Some(p) = password.filter(|_| !password_stdin) {
                println!("password: {p}");
            }
            if let Some(label) = token {
                println!("token: {}", new_token(store, &name, &label, now).await?);
                println!(
                    "(the token {label:?} is shown this once: only its digest is stored; \
                     `kontera users token {name} --label LABEL` makes another)"
                );
            }
        }
        UsersCommand::List => {
            for u in store.users().await? {
                let state = if u.disabled { " (disabled)" } else { "" };
                println!("{}\t{}{}{state}", u.name, u.role, areas_note(&u.areas));
            }
        }
        UsersCommand::Token { name, label } => {
            println!("{}", new_token(store, &name, &label, now).await?);
        }
        UsersCommand::Set {
            name,
            areas,
            new_password,
            disable,
            enable,
        } => {
            let password = new_password.then(secret::new_password).transpose()?;
            let change = UserChange {
                role: None,
                areas,
                password_hash: password.as_deref().map(secret::hash_password).transpose()?,
                disabled: (disable || enable).then_some(disable),
            };
            let user = store.update_user(&name, &change).await?;
            println!(
                "changed {} ({}{})",
                user.name,
                user.role,
                areas_note(&user.areas)
            );
            if let Some(p) = password {
                println!("password: {p}");
            }
        }
    }
    Ok(())
}

async fn new_token(store: &Store, name: &str, label: &str, now: i64) -> anyhow::Result<String> {
    let token = secret::new_token(store.organisation())?;
    store
        .add_token(&secret::digest(&token), name, label, now)
        .await?;
    Ok(token)
}

fn areas_note(areas: &[String]) -> String {
    if areas.is_empty() {
        String::new()
    } else {
        format!(", areas {}", areas.join(","))
    }
}

fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

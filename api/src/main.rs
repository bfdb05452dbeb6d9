//! `misconduct-server`: the case management API server and its admin commands.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand};
use misconduct_api::config::{Config, Mode};
use misconduct_api::{auth, demo, domain, graphql, server};

// glibc's allocator took a quarter of the server's CPU under load, much of it
// waiting on its arena locks (issue 16 item 5); mimalloc keeps per-thread heaps.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "misconduct-server",
    version,
    about = "Student non-academic misconduct case management API"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL) to standard output.
    Schema,
    /// Mint a development token for a person (by subject, email or SIS number).
    Token {
        person: String,
        /// Hours the token stays valid.
        #[arg(long, default_value_t = 8)]
        hours: i64,
    },
    /// Load a small demo university and print a token for each kind of user.
    Demo,
    /// Check the audit log's hash chain; exits 1 and names the first broken entry.
    VerifyAudit {
        /// A checkpoint to check against, `SEQ:HASH` as the server logged it
        /// ("audit checkpoint"); by default the latest in the checkpoint file.
        #[arg(long)]
        checkpoint: Option<String>,
    },
    /// Apply retention (R-RET-1): remove concluded cases kept long enough and
    /// delete recordings once appeals are exhausted, printing what went.
    Retention {
        /// Only list what would go and why; remove nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Recount the statistics tally from the cases (after cases were changed
    /// with SQL); `--check` only reports whether it is current (exit 1 if not).
    RebuildStatistics {
        /// Compare the tally with a recount; change nothing.
        #[arg(long)]
        check: bool,
    },
    /// Create the first administrator of a new installation (refused once one exists).
    BootstrapAdmin {
        /// The identity provider's subject (`sub`) of the administrator.
        #[arg(long)]
        subject: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: Option<String>,
    },
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    if let Some(Command::Schema) = cli.command {
        print!("{}", graphql::sdl());
        return;
    }
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(2);
        }
    };
    let telemetry = misconduct_api::telemetry::init(config.json_logs);
    let result = run(cli.command.unwrap_or(Command::Serve), config).await;
    drop(telemetry); // flush spans before exiting
    if let Err(err) = result {
        eprintln!("error: {err:#}");
        std::process::exit(1);
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => server::serve(config).await,
        Command::Migrate => {
            server::prepare(&config).await?;
            println!(
                "database migrated; policy {} recorded",
                config.policy.version
            );
            Ok(())
        }
        Command::Schema => Ok(()),
        Command::Token { person, hours } => {
            if config.mode != Mode::Development {
                anyhow::bail!(
                    "tokens are minted only in development mode; use your identity provider"
                );
            }
            if hours.saturating_mul(3600) > i64::try_from(config.auth.max_lifetime_seconds)? {
                anyhow::bail!(
                    "the server accepts tokens valid for at most {} seconds (auth.max_lifetime_seconds); ask for fewer hours",
                    config.auth.max_lifetime_seconds
                );
            }
            let db = server::prepare(&config).await?;
            let subject = demo::subject_of(&db, &person).await?;
            println!(
                "{}",
                auth::tokens::mint(&config.auth, &subject, chrono::Duration::hours(hours))?
            );
            Ok(())
        }
        Command::Demo => {
            if config.mode != Mode::Development {
                anyhow::bail!("demo data is loaded only in development mode");
            }
            let db = server::prepare(&config).await?;
            demo::load(&db, &config).await
        }
        Command::Retention { dry_run } => {
            let db = server::prepare(&config).await?;
            let policies = misconduct_api::policy::PolicyBook::load(&db, &config.policy).await?;
            let now = chrono::Utc::now();
            if dry_run {
                let review =
                    domain::retention::review(&db, &policies, domain::calendar::uk_date(now))
                        .await
                        .map_err(|e| anyhow::anyhow!("{e}"))?;
                print!(
                    "{}",
                    misconduct_api::retention_job::describe_review(&review)
                );
            } else {
                let run = domain::retention::apply(&db, None, &policies, now)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                print!("{}", misconduct_api::retention_job::describe_run(&run));
            }
            Ok(())
        }
        Command::BootstrapAdmin {
            subject,
            name,
            email,
        } => {
            let db = server::prepare(&config).await?;
            let tx = domain::case_store::begin(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let person = domain::people::bootstrap_admin(&tx, &subject, &name, email)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tx.commit().await?;
            println!(
                "{} ({}) is now an administrator",
                person.display_name, person.subject
            );
            Ok(())
        }
        Command::RebuildStatistics { check } => {
            let db = server::prepare(&config).await?;
            let tx = domain::case_store::begin(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            if check {
                let differences = domain::statistics::tally::verify(&tx)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                if differences.is_empty() {
                    println!("the statistics tally is current");
                    return Ok(());
                }
                println!(
                    "the statistics tally differs from the cases in {} place(s); run rebuild-statistics",
                    differences.len()
                );
                std::process::exit(1);
            }
            let cases = domain::statistics::tally::rebuild(&tx)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            tx.commit().await?;
            println!("the statistics tally now counts {cases} cases (and those retention removed)");
            Ok(())
        }
        Command::VerifyAudit { checkpoint } => {
            let db = server::prepare(&config).await?;
            let checkpoint = match checkpoint {
                Some(text) => Some(
                    domain::audit_checkpoint::Checkpoint::parse(&text).ok_or_else(|| {
                        anyhow::anyhow!("--checkpoint must be SEQ:HASH, as the server logs it")
                    })?,
                ),
                None => domain::audit_checkpoint::latest_in(&config.audit.checkpoint_file)?,
            };
            match &checkpoint {
                Some(cp) => println!("checking against checkpoint {}", cp.text()),
                None => println!(
                    "no checkpoint in {}: entries cut from the end cannot be detected",
                    config.audit.checkpoint_file.display()
                ),
            }
            let report = domain::audit::verify(&db, checkpoint.as_ref())
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            match report.first_broken {
                None => {
                    println!(
                        "audit chain intact: {} entries checked",
                        report.entries_checked
                    );
                    Ok(())
                }
                Some(seq) => {
                    println!(
                        "audit chain BROKEN at entry {seq} ({} entries before it are intact): {}",
                        report.entries_checked,
                        report.problem.as_deref().unwrap_or("")
                    );
                    std::process::exit(1);
                }
            }
        }
    }
}

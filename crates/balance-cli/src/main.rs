//! `balance`: Balance Lab's command line over balance-core.

use std::path::PathBuf;
use std::process::ExitCode;

use balance_core::datasets::{Bundled, Dataset};
use balance_core::import::parse_counts_csv;
use clap::{Parser, Subcommand};

/// Balance Lab on the command line: look at datasets of LLM-agent transitions.
#[derive(Parser)]
#[command(name = "balance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a dataset's states and transition counts.
    Show {
        /// A counts CSV (`source,target,count`).
        file: Option<PathBuf>,
        /// A bundled dataset instead of a file: claude4-word or gemini25flash-word.
        #[arg(long, conflicts_with = "file")]
        bundled: Option<String>,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("balance: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Show { file, bundled } => {
            let dataset = load(file, bundled)?;
            print!("{}", describe(&dataset));
            Ok(())
        }
    }
}

fn load(file: Option<PathBuf>, bundled: Option<String>) -> Result<Dataset, String> {
    match (file, bundled) {
        (_, Some(id)) => Bundled::from_id(&id).map(Bundled::load).ok_or_else(|| {
            let ids: Vec<_> = Bundled::ALL.iter().map(|b| b.id()).collect();
            format!("no bundled dataset {id:?} (choose from {})", ids.join(", "))
        }),
        (Some(path), None) => {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let counts = parse_counts_csv(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            Ok(Dataset {
                name: path.display().to_string(),
                description: String::new(),
                counts,
                total_attempts: None,
                scores: Default::default(),
            })
        }
        (None, None) => Err("give a file or --bundled ID".to_owned()),
    }
}

/// A plain-text summary: one line per state, then the transitions.
fn describe(d: &Dataset) -> String {
    let c = &d.counts;
    let mut out = format!(
        "{}\n{} states, {} recorded transitions, {} unique\n\nstate\tattempts\n",
        d.name,
        c.len(),
        c.total_transitions(),
        c.edge_count()
    );
    for f in 0..c.len() {
        out += &format!("{}\t{}\n", c.states().label(f), c.attempts(f));
    }
    out += "\nsource\ttarget\tcount\n";
    for (f, g, n) in c.edges() {
        out += &format!("{}\t{}\t{n}\n", c.states().label(f), c.states().label(g));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_the_bundled_claude4_dataset() {
        let d = load(None, Some("claude4-word".into())).unwrap();
        let text = describe(&d);
        assert!(text.contains("5 states, 15742 recorded transitions, 7 unique"));
        assert!(text.contains("PERSONAL\tATTITUDE\t3879\n"));
    }

    #[test]
    fn unknown_bundled_id_names_the_choices() {
        let e = load(None, Some("gpt".into())).unwrap_err();
        assert!(e.contains("claude4-word"), "{e}");
    }
}

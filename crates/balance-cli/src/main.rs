//! `balance`: Balance Lab's command line over balance-core.

mod experiment_run;
mod summary;
mod transport;

use std::path::PathBuf;
use std::process::ExitCode;

use balance_core::compare::{CompareSettings, compare};
use balance_core::datasets::{Bundled, Dataset};
use balance_core::import::{Format, load, write_counts_csv, write_paper_json};
use balance_core::normalization::Normalization;
use balance_core::potential::{Kernel, Solver};
use balance_core::settings::Preset as SettingsPreset;
use balance_core::simulate::{Preset, WordTask};
use balance_core::{Settings, analyze};
use clap::{Parser, Subcommand, ValueEnum};

/// Balance Lab on the command line: measure detailed balance in LLM-agent transitions.
#[derive(Parser)]
#[command(name = "balance", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse a dataset: potentials, tests of detailed balance, uncertainties.
    Analyze(AnalyzeArgs),
    /// Run an experiment described by a TOML file (docs/experiments.md), writing the experiment
    /// file the app imports; run it again to resume an interrupted run.
    Run {
        /// The run file.
        file: PathBuf,
        /// The experiment file to write (the run file's name with .json when absent).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Do not print progress.
        #[arg(long)]
        quiet: bool,
    },
    /// Compare datasets: do they move on one landscape, up to a scale `beta` per dataset? Prints
    /// the comparison as JSON (field names in docs/report.md).
    Compare {
        /// Two or more data files (in the `--input` format), or bundled datasets written
        /// `bundled:<id>` (claude4-word, gemini25flash-word).
        #[arg(required = true, num_args = 2..)]
        datasets: Vec<String>,
        /// The files' format.
        #[arg(long, value_enum, default_value_t = InputArg::Csv)]
        input: InputArg,
        /// The settings each dataset is fitted with.
        #[arg(long, value_enum, default_value_t = SettingsArg::BalanceLab)]
        preset: SettingsArg,
        /// Bootstrap replicates for the calibrated p-value and the intervals of beta (0: none).
        #[arg(long, default_value_t = 200)]
        bootstrap: usize,
        /// Seed of the bootstrap.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Simulate an agent and write the dataset in the paper's JSON format to standard output.
    Simulate {
        /// Which simulated agent.
        #[arg(long, value_enum)]
        preset: PresetArg,
        /// Seed of the simulation.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Number of attempts (the preset's default when absent).
        #[arg(long)]
        attempts: Option<usize>,
        /// Sampling temperature of the word task's agent (its potential shows as V / T).
        #[arg(long, default_value_t = 1.0)]
        temperature: f64,
        /// Also write the true potential as `state,potential` CSV to this file.
        #[arg(long)]
        truth: Option<PathBuf>,
        /// Output format: the paper's JSON (transitions only) or counts CSV (which keeps the
        /// rejected attempts).
        #[arg(long, value_enum, default_value_t = OutputArg::PaperJson)]
        format: OutputArg,
    },
}

#[derive(clap::Args)]
struct AnalyzeArgs {
    /// The data file (or, with `--bundled`, a bundled dataset's id: claude4-word, gemini25flash-word).
    file: String,
    /// The file's format.
    #[arg(long, value_enum, default_value_t = InputArg::Csv)]
    input: InputArg,
    /// Read a bundled dataset instead of a file.
    #[arg(long)]
    bundled: bool,
    /// How N0(f) is chosen.
    #[arg(long, value_enum, default_value_t = NormArg::Observed)]
    normalization: NormArg,
    /// Total attempts A of the experiment (high-reject).
    #[arg(long)]
    total_attempts: Option<f64>,
    /// Low-reject filter: drop states sampled at most this many times.
    #[arg(long, default_value_t = 1.0)]
    threshold: f64,
    /// The action's kernel.
    #[arg(long, value_enum, default_value_t = KernelArg::Softplus)]
    kernel: KernelArg,
    /// Inverse temperature of the kernel.
    #[arg(long, default_value_t = 1.0)]
    beta: f64,
    /// The minimiser.
    #[arg(long, value_enum, default_value_t = SolverArg::Newton)]
    solver: SolverArg,
    /// Draws from the exact posterior, for credible intervals (0: none).
    #[arg(long, default_value_t = 0)]
    posterior: usize,
    /// Bootstrap replicates for intervals (0: none).
    #[arg(long, default_value_t = 0)]
    bootstrap: usize,
    /// Replicates under detailed balance, for the calibrated p-value of the likelihood-ratio
    /// test (0: the chi-square one only).
    #[arg(long, default_value_t = 0)]
    null: usize,
    /// Seed of the random draws.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the full report as JSON (schema in docs/report.md).
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputArg {
    PaperJson,
    Csv,
    Trajectory,
    Experiment,
}

#[derive(Clone, Copy, ValueEnum)]
enum NormArg {
    HighReject,
    LowReject,
    Observed,
}

#[derive(Clone, Copy, ValueEnum)]
enum KernelArg {
    Softplus,
    Exp,
}

#[derive(Clone, Copy, ValueEnum)]
enum SolverArg {
    Newton,
    Lbfgs,
    Mm,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputArg {
    PaperJson,
    Csv,
}

#[derive(Clone, Copy, ValueEnum)]
enum SettingsArg {
    PaperText,
    PaperCode,
    BalanceLab,
}

#[derive(Clone, Copy, ValueEnum)]
enum PresetArg {
    Metropolis,
    DrivenCycle,
    WordTask,
    PaperScale,
    Large,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("balance: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs a command and returns what it prints.
fn run(cli: Cli) -> Result<String, String> {
    match cli.command {
        Command::Analyze(args) => {
            let dataset = read_dataset(&args)?;
            let report = analyze(&dataset, &settings(&args)).map_err(|e| e.to_string())?;
            if args.json {
                serde_json::to_string_pretty(&report)
                    .map(|s| s + "\n")
                    .map_err(|e| format!("cannot write the report: {e}"))
            } else {
                Ok(summary::render(&dataset, &report))
            }
        }
        Command::Run { file, out, quiet } => experiment_run::execute(&file, out, quiet),
        Command::Compare { datasets, input, preset, bootstrap, seed } => {
            let datasets = datasets
                .iter()
                .map(|d| match d.strip_prefix("bundled:") {
                    Some(id) => bundled(id),
                    None => read_file(d, input),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let preset = match preset {
                SettingsArg::PaperText => SettingsPreset::PaperText,
                SettingsArg::PaperCode => SettingsPreset::PaperCode,
                SettingsArg::BalanceLab => SettingsPreset::BalanceLab,
            };
            let comparison = compare(&datasets, &CompareSettings { preset, bootstrap, seed })
                .map_err(|e| e.to_string())?;
            serde_json::to_string_pretty(&comparison)
                .map(|s| s + "\n")
                .map_err(|e| format!("cannot write the comparison: {e}"))
        }
        Command::Simulate { preset, seed, attempts, temperature, truth, format } => {
            if !(temperature.is_finite() && temperature > 0.0) {
                return Err("the temperature must be a positive number".into());
            }
            let sim = match preset {
                PresetArg::WordTask => {
                    let task = WordTask { temperature, ..WordTask::default() };
                    task.run(seed, attempts.unwrap_or(task.attempts))
                }
                _ if temperature != 1.0 => {
                    return Err("--temperature applies to the word task only".into());
                }
                PresetArg::Metropolis => Preset::Metropolis.run(seed, attempts),
                PresetArg::DrivenCycle => Preset::DrivenCycle.run(seed, attempts),
                PresetArg::PaperScale => Preset::PaperScale.run(seed, attempts),
                PresetArg::Large => Preset::Large.run(seed, attempts),
            };
            if let Some(path) = truth {
                let mut csv = String::from("state,potential\n");
                for (label, v) in &sim.truth {
                    csv += &format!("{},{v}\n", csv_field(label));
                }
                std::fs::write(&path, csv)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            Ok(match format {
                OutputArg::PaperJson => {
                    write_paper_json(&sim.dataset.counts, &sim.dataset.scores) + "\n"
                }
                OutputArg::Csv => write_counts_csv(&sim.dataset.counts),
            })
        }
    }
}

/// Quotes a CSV field when it needs it.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn read_dataset(args: &AnalyzeArgs) -> Result<Dataset, String> {
    if args.bundled { bundled(&args.file) } else { read_file(&args.file, args.input) }
}

/// The bundled dataset `id`.
fn bundled(id: &str) -> Result<Dataset, String> {
    Bundled::from_id(id).map(Bundled::load).ok_or_else(|| {
        let ids: Vec<_> = Bundled::ALL.iter().map(|b| b.id()).collect();
        format!("no bundled dataset {id:?} (choose from {})", ids.join(", "))
    })
}

/// A dataset read from `path` in `input` format.
fn read_file(path: &str, input: InputArg) -> Result<Dataset, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let format = match input {
        InputArg::PaperJson => Format::PaperJson,
        InputArg::Csv => Format::Csv,
        InputArg::Trajectory => Format::Trajectory,
        InputArg::Experiment => Format::Experiment,
    };
    load(path, &text, format).map_err(|e| format!("{path}: {e}"))
}

fn settings(args: &AnalyzeArgs) -> Settings {
    Settings {
        normalization: match args.normalization {
            NormArg::HighReject => Normalization::HighReject,
            NormArg::LowReject => Normalization::LowReject,
            NormArg::Observed => Normalization::Observed,
        },
        total_attempts: args.total_attempts,
        threshold: args.threshold,
        kernel: match args.kernel {
            KernelArg::Softplus => Kernel::Softplus,
            KernelArg::Exp => Kernel::Exp,
        },
        beta: args.beta,
        solver: match args.solver {
            SolverArg::Newton => Solver::Newton,
            SolverArg::Lbfgs => Solver::Lbfgs,
            SolverArg::Mm => Solver::MinorizeMaximize,
        },
        posterior: args.posterior,
        bootstrap: args.bootstrap,
        null_replicates: args.null,
        seed: args.seed,
        ..Settings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Result<String, String> {
        let mut all = vec!["balance"];
        all.extend_from_slice(args);
        run(Cli::try_parse_from(all).map_err(|e| e.to_string())?)
    }

    #[test]
    fn analyze_claude4_reports_the_papers_potentials() {
        let out = cli(&["analyze", "claude4-word", "--bundled", "--normalization", "high-reject"])
            .unwrap();
        assert!(out.contains("PERSONAL"), "{out}");
        assert!(out.contains("4.0737"), "{out}");
        assert!(out.contains("5.1812"), "{out}");
        assert!(out.contains("TURKEY") && out.contains("unbounded"), "{out}");
    }

    #[test]
    fn compare_prints_the_comparison_as_json_with_its_documented_fields() {
        let dir = std::env::temp_dir().join(format!("balance-cli-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for (t, seed) in [("1", "5"), ("0.5", "6")] {
            let out = cli(&[
                "simulate",
                "--preset",
                "word-task",
                "--temperature",
                t,
                "--seed",
                seed,
                "--attempts",
                "20000",
                "--format",
                "csv",
            ])
            .unwrap();
            let file = dir.join(format!("word-t{t}.csv"));
            std::fs::write(&file, out).unwrap();
            files.push(file.to_str().unwrap().to_owned());
        }
        let out = cli(&["compare", &files[0], &files[1], "--bootstrap", "100"]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let scale = &v["datasets"][1]["scale"];
        let (beta, se) = (scale["value"].as_f64().unwrap(), scale["se"].as_f64().unwrap());
        assert!((beta - 2.0).abs() < 3.0 * se, "temperature 0.5 against 1: beta {beta} ± {se}");
        let [lo, hi] = [0, 1].map(|i| scale["interval"][i].as_f64().unwrap());
        assert!(lo < beta && beta < hi);
        for field in ["statistic", "df", "p_value", "p_value_bootstrap", "replicates", "converged"]
        {
            assert!(!v["test"][field].is_null(), "test.{field}");
        }
        let state = &v["states"][0];
        for field in ["label", "estimates", "shared", "joint", "joint_se", "disagreement"] {
            assert!(state.get(field).is_some(), "states[].{field}");
        }
        assert!(v["verdict"].as_str().unwrap().starts_with("One landscape up to scale"));
        assert_eq!(v["settings"]["preset"], "balance-lab");

        let err = cli(&["compare", "bundled:claude4-word", "bundled:nope"]).unwrap_err();
        assert!(err.contains("no bundled dataset \"nope\""), "{err}");
        let out = cli(&["compare", "bundled:claude4-word", "bundled:gemini25flash-word"]).unwrap();
        assert!(out.contains("only one identifiable state (ATTITUDE)"), "{out}");
        assert!(cli(&["simulate", "--preset", "metropolis", "--temperature", "2"]).is_err());
    }

    #[test]
    fn analyze_json_has_the_fixed_field_names() {
        let dir = std::env::temp_dir().join(format!("balance-cli-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("gemini.csv");
        std::fs::write(&file, include_str!("../../balance-core/data/gemini25flash-word.csv"))
            .unwrap();
        let out = cli(&[
            "analyze",
            file.to_str().unwrap(),
            "--input",
            "csv",
            "--normalization",
            "high-reject",
            "--total-attempts",
            "20000",
            "--json",
        ])
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let states = v["states"].as_array().unwrap();
        assert_eq!(states.len(), 13);
        let blissful = states.iter().find(|s| s["label"] == "BLISSFUL").unwrap();
        assert!((blissful["potential"].as_f64().unwrap() - (353.0f64 / 2.0).ln()).abs() < 1e-9);
        let buzzy = states.iter().find(|s| s["label"] == "BUZZY").unwrap();
        assert!(buzzy["potential"].is_null() && buzzy["identifiable"] == false);
        for key in ["potential_bound", "potential_se", "stationary", "free_energy", "attempts"] {
            assert!(blissful.get(key).is_some(), "{key}");
        }
        for path in [
            "/action/minimum",
            "/lrt/statistic",
            "/lrt/df",
            "/lrt/p_value",
            "/pairwise/n",
            "/pairwise/pearson_r",
            "/pairwise/chi2_ndf",
            "/pairwise/chi2_ndf_paper",
            "/loops/n",
            "/loops/chi2_ndf",
            "/entropy_production/value",
            "/entropy_production/one_way",
            "/lrt/components",
            "/lrt/tested",
            "/components/0/states",
            "/components/0/p_value",
            "/components/0/entropy/value",
        ] {
            assert!(v.pointer(path).is_some(), "{path}");
        }
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn simulate_writes_paper_json_that_analyze_reads() {
        let dir = std::env::temp_dir().join(format!("balance-sim-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let truth = dir.join("truth.csv");
        let metropolis = |extra: &[&str]| {
            let mut args =
                vec!["simulate", "--preset", "metropolis", "--seed", "3", "--attempts", "4000"];
            args.extend_from_slice(extra);
            cli(&args).unwrap()
        };
        let json = metropolis(&["--truth", truth.to_str().unwrap()]);
        let again = metropolis(&[]);
        assert_eq!(json, again, "same seed, same data");
        let file = dir.join("sim.json");
        std::fs::write(&file, &json).unwrap();
        let out = cli(&["analyze", file.to_str().unwrap(), "--input", "paper-json"]).unwrap();
        assert!(out.contains("S00"), "{out}");
        assert!(std::fs::read_to_string(&truth).unwrap().starts_with("state,potential\nS"));
        let csv = metropolis(&["--format", "csv"]);
        let (counts, _) = balance_core::import::parse_counts_csv(&csv).unwrap();
        assert_eq!(counts.total_attempts(), 4000.0, "every attempt, rejections included");
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn bad_input_gets_a_specific_error() {
        let dir = std::env::temp_dir().join(format!("balance-bad-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.csv");
        std::fs::write(&file, "source,target,count\nA,B,x\n").unwrap();
        let e = cli(&["analyze", file.to_str().unwrap()]).unwrap_err();
        assert!(e.contains("line 2, field `count`"), "{e}");
        let e = cli(&["analyze", "nope", "--bundled"]).unwrap_err();
        assert!(e.contains("claude4-word"), "{e}");
        let e = cli(&["analyze", "claude4-word", "--bundled", "--beta=-1"]).unwrap_err();
        assert!(e.contains("beta"), "{e}");
        // Ten replicates under detailed balance could never reject at 5%.
        let e = cli(&["analyze", "claude4-word", "--bundled", "--null", "10"]).unwrap_err();
        assert!(e.contains("cannot reject at 5%"), "{e}");
        std::fs::remove_dir_all(dir).ok();
    }
}

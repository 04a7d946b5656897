//! The vendors' Python SDKs as an oracle: one `tests/sdk/oracle.py` process, fed JSON Lines
//! (the protocol is in `tests/sdk/README.md`). A missing or broken installation fails the test
//! that asked for it, with what to run; it never skips.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{Value, json};

const SETUP: &str = "run `bash tests/sdk/setup.sh` (it installs the pinned SDKs into .venv/ and \
                     jdcloud_sdk 1.6.94 into .venv/jdcloud2; `.ci/run` does it too), or point \
                     CRSPEC_PYTHON at a Python that has them";

/// The interpreter: `$CRSPEC_PYTHON`, else the repository's `.venv/bin/python3`.
fn python() -> PathBuf {
    std::env::var_os("CRSPEC_PYTHON").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python3"),
        PathBuf::from,
    )
}

/// One running oracle process.
pub struct Oracle {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
    stderr: Arc<Mutex<String>>,
    /// What `{"kind": "info"}` answered: the SDK versions loaded.
    pub info: Value,
}

impl Oracle {
    /// Starts the oracle and checks that every SDK it drives is there (the JDCLOUD2 one too).
    ///
    /// # Panics
    ///
    /// When the interpreter, the script or an SDK is missing: the message says what to run.
    pub fn spawn() -> Oracle {
        Self::try_spawn_with(python()).unwrap_or_else(|e| panic!("{e}"))
    }

    /// [`Oracle::spawn`] with this interpreter; what is missing as an error.
    pub fn try_spawn_with(python: PathBuf) -> Result<Oracle, String> {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let script = root.join("tests/sdk/oracle.py");
        if !python.exists() {
            return Err(format!(
                "the SDK oracle's Python interpreter {} does not exist: {SETUP}",
                python.display()
            ));
        }
        if !script.exists() {
            return Err(format!("{} is missing", script.display()));
        }
        let mut child = Command::new(&python)
            .arg(&script)
            .current_dir(&root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}: {SETUP}", python.display()))?;
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().expect("piped stderr");
        let sink = Arc::clone(&stderr);
        // Drained all along, so that a chatty SDK never blocks the process on a full pipe; the
        // tail is shown when the oracle fails.
        thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut s = sink.lock().unwrap();
                s.push_str(&String::from_utf8_lossy(&buf[..n]));
                if s.len() > 64 * 1024 {
                    let cut = s.len() - 32 * 1024;
                    let cut = (cut..s.len()).find(|&i| s.is_char_boundary(i)).unwrap();
                    s.replace_range(..cut, "…");
                }
            }
        });
        let stdin = child.stdin.take();
        let stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut oracle = Oracle {
            child,
            stdin,
            stdout,
            stderr,
            info: Value::Null,
        };
        let info = oracle.try_ask(&json!({"kind": "info"}))?;
        for key in ["botocore", "tencentcloud", "jdcloud_sdk", "jdcloud2_sdk"] {
            if !info.get(key).is_some_and(Value::is_string) {
                return Err(format!("the SDK oracle lacks `{key}` ({info}): {SETUP}"));
            }
        }
        oracle.info = info;
        Ok(oracle)
    }

    fn death(&mut self, what: &str) -> String {
        let status = self.child.try_wait().ok().flatten();
        let tail = self.stderr.lock().unwrap().clone();
        format!(
            "the SDK oracle {what} (exit status {status:?}); its stderr:\n{tail}\nIf a module \
             is missing: {SETUP}"
        )
    }

    /// One case, one answer (for a server that verifies as requests arrive).
    pub fn ask(&mut self, case: &Value) -> Value {
        self.try_ask(case).unwrap_or_else(|e| panic!("{e}"))
    }

    fn try_ask(&mut self, case: &Value) -> Result<Value, String> {
        let line = format!("{case}\n");
        let stdin = self.stdin.as_mut().expect("the oracle's stdin is open");
        if stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .is_err()
        {
            return Err(self.death("closed its input"));
        }
        self.read_answer()
    }

    fn read_answer(&mut self) -> Result<Value, String> {
        let mut line = String::new();
        match self.stdout.read_line(&mut line) {
            Ok(0) | Err(_) => {
                // Give the process a moment to exit, so that its stderr is complete.
                thread::sleep(std::time::Duration::from_millis(200));
                Err(self.death("ended before answering"))
            }
            Ok(_) => serde_json::from_str(&line)
                .map_err(|e| format!("the oracle answered a line that is not JSON ({e}): {line}")),
        }
    }

    /// Every case, in order: the cases are written from a thread while the answers are read,
    /// so that neither pipe fills up.
    pub fn run(&mut self, cases: Vec<Value>) -> Vec<Value> {
        let n = cases.len();
        let stdin = self.stdin.take().expect("the oracle's stdin is open");
        let writer = thread::spawn(move || {
            let mut out = std::io::BufWriter::with_capacity(1 << 16, stdin);
            let mut ok = true;
            for case in &cases {
                if writeln!(out, "{case}").is_err() {
                    ok = false;
                    break;
                }
            }
            ok &= out.flush().is_ok();
            (out.into_inner().ok(), ok)
        });
        let answers: Vec<Value> = (0..n)
            .map(|_| self.read_answer().unwrap_or_else(|e| panic!("{e}")))
            .collect();
        let (stdin, ok) = writer.join().expect("the oracle writer thread");
        if !ok {
            panic!("{}", self.death("closed its input"));
        }
        self.stdin = stdin;
        answers
    }
}

impl Drop for Oracle {
    /// Closes the oracle's input and waits for it to end; one that does not end within a few
    /// seconds (a test failed halfway through a batch, the pipes full) is killed.
    fn drop(&mut self) {
        drop(self.stdin.take());
        for _ in 0..50 {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            thread::sleep(std::time::Duration::from_millis(40));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

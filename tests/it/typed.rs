//! Typed answers (issue 21): the flag through import, re-import and
//! export, and `recall answer --typed`.

use super::common::{Env, day};

const TYPED: &str = "name = \"Capitals\"\n\
    [[cards]]\nid = \"fr\"\nfront = \"Capital of France?\"\nback = \"Paris\"\ntype = true\n\
    [[cards]]\nid = \"de\"\nfront = \"Capital of Germany?\"\nback = \"Berlin\"\n";

fn typed_of(env: &Env) -> Vec<(String, bool)> {
    let deck = env.json(&day(0), &["export", "deck", "Capitals", "--format", "json"]);
    deck["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let typed = c.get("type").map(|t| t.as_bool().unwrap());
            (
                c["id"].as_str().unwrap().to_string(),
                typed.unwrap_or(false),
            )
        })
        .collect()
}

#[test]
fn the_flag_is_stored_exported_and_follows_the_file_on_reimport() {
    let env = Env::new();
    let deck = env.file("capitals.toml", TYPED);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    let want = |fr: bool, de: bool| vec![("fr".to_string(), fr), ("de".to_string(), de)];
    assert_eq!(typed_of(&env), want(true, false));

    // The file changes its mind: the re-import updates the flag alone.
    let flipped = TYPED.replace("type = true\n", "") + "type = true\n";
    env.file("capitals.toml", flipped);
    let out = env.json(&day(0), &["import", deck.to_str().unwrap(), "--json"]);
    assert_eq!(out[0]["decks"][0]["updated"], 2, "{out}");
    assert_eq!(typed_of(&env), want(false, true));

    // What export writes imports back the same (a fresh collection).
    let exported = env
        .at(&day(0))
        .args(["export", "deck", "Capitals", "--format", "toml"])
        .output()
        .unwrap();
    let other = Env::new();
    let again = other.file("again.toml", &exported.stdout);
    other
        .at(&day(0))
        .arg("import")
        .arg(&again)
        .assert()
        .success();
    assert_eq!(typed_of(&other), want(false, true));
}

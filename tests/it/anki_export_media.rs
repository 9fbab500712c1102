//! Media back out to Anki (issues 20 and 21): a package exported from
//! recall carries the pictures its cards name, in both layouts, as `<img>`
//! tags and numbered files that Anki's importer (and recall's) reads.

use std::io::Read;

use recall::storage::Store;

use crate::common::Env;
use crate::media::{HEART_SHA256, fixture, import};

const NOW: &str = "2031-01-02T09:00:00+00:00";

/// The zip entries of `package`: name and bytes.
fn entries(package: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let file = std::fs::File::open(package).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut entry = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().unwrap().to_string(), bytes)
        })
        .collect()
}

#[test]
fn an_exported_package_carries_its_pictures_in_both_layouts() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    for flag in [None, Some("--legacy")] {
        let out = env
            .dir
            .path()
            .join(format!("out{}.apkg", flag.unwrap_or("")));
        let mut cmd = env.at(NOW);
        cmd.args(["export", "deck", "Media", "--format", "apkg", "--output"])
            .arg(&out);
        if let Some(flag) = flag {
            cmd.arg(flag);
        }
        cmd.assert().success();
        let entries = entries(&out);
        let names: Vec<&str> = entries.iter().map(|e| e.0.as_str()).collect();
        assert!(
            names.contains(&"media") && names.contains(&"1"),
            "{names:?}"
        );
        if flag.is_some() {
            let map = &entries.iter().find(|e| e.0 == "media").unwrap().1;
            assert_eq!(
                String::from_utf8_lossy(map),
                r#"{"0":"beat.mp3","1":"heart.png"}"#
            );
        }

        // recall reads its own export back: the same file, by hash.
        let fresh = Env::new();
        let stdout = import(&fresh, &out);
        assert!(stdout.contains(" media file"), "{stdout}");
        let store = Store::open(&fresh.db).unwrap();
        let heart = store.media_file("Media", "heart.png").unwrap().unwrap();
        assert_eq!(heart.sha256, HEART_SHA256, "{flag:?}");
    }
}

#[test]
fn a_picture_without_its_file_goes_out_as_a_name_with_a_warning() {
    let env = Env::new();
    let deck = env.file(
        "d.toml",
        "name = \"Pics\"\n[[cards]]\nid = \"a\"\nfront = \"Which? [image: gone.png]\"\nback = \"b\"\n",
    );
    env.at(NOW).arg("import").arg(&deck).assert().success();
    let out = env.dir.path().join("pics.apkg");
    let result = env
        .at(NOW)
        .args(["export", "deck", "Pics", "--format", "apkg", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(result.status.success());
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(
        stderr.contains("1 picture or sound the cards name has no file"),
        "{stderr}"
    );
    let names: Vec<String> = entries(&out).into_iter().map(|e| e.0).collect();
    assert!(!names.contains(&"0".to_string()), "{names:?}");
}

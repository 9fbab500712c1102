//! The template language against Anki's behaviour.

use super::*;

fn fields(pairs: &[(&'static str, &str)]) -> FieldMap<'static> {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

fn render(template: &str, f: &FieldMap<'_>, front: Option<&str>) -> String {
    let card = CardContext {
        fields: f,
        ord: 0,
        front_side: front,
    };
    Template::parse(template).unwrap().render(&card).unwrap()
}

#[test]
fn fields_sections_and_front_side() {
    let f = fields(&[("Front", "q"), ("Back", "a"), ("Extra", " <br> ")]);
    assert_eq!(render("<b>{{Front}}</b>", &f, None), "<b>q</b>");
    assert_eq!(
        render("{{FrontSide}}<hr id=answer>{{Back}}", &f, Some("Q")),
        "Q<hr id=answer>a"
    );
    assert_eq!(
        render("{{#Extra}}x{{/Extra}}{{^Extra}}none{{/Extra}}", &f, None),
        "none"
    );
    assert_eq!(render("{{#Back}}[{{ Back }}]{{/Back}}", &f, None), "[a]");
    assert_eq!(
        render("<!-- {{Nope}} -->{{Front}}", &f, None),
        "<!-- {{Nope}} -->q"
    );
    assert_eq!(
        render("{{=<% %>=}}<%Front%> {{Front}}", &f, None),
        "q {{Front}}"
    );
    assert_eq!(
        render("{{#c1}}one{{/c1}}{{#c2}}two{{/c2}}", &f, None),
        "one"
    );
}

#[test]
fn errors_are_named() {
    assert_eq!(
        Template::parse("{{#A}}x").unwrap_err(),
        TemplateError::NotClosed("A".into())
    );
    assert!(matches!(
        Template::parse("{{#A}}x{{/B}}").unwrap_err(),
        TemplateError::WrongClose { .. }
    ));
    let f = fields(&[("Front", "q")]);
    let card = CardContext {
        fields: &f,
        ord: 0,
        front_side: None,
    };
    let err = Template::parse("{{Nope}}")
        .unwrap()
        .render(&card)
        .unwrap_err();
    assert_eq!(err.to_string(), "there is no field called \"Nope\"");
    // Errors inside a section that is off still count, as in Anki.
    let off = Template::parse("{{#Front}}{{/Front}}{{^Front}}{{Nope}}{{/Front}}").unwrap();
    assert!(off.render(&card).is_err());
}

#[test]
fn a_card_exists_when_its_front_names_a_filled_field() {
    let filled = |name: &str| name == "Front";
    let parsed = |t| Template::parse(t).unwrap();
    assert!(parsed("{{Front}}").renders_with(&filled));
    assert!(!parsed("text only {{Back}}").renders_with(&filled));
    assert!(parsed("{{#Front}}{{Front}}{{/Front}}").renders_with(&filled));
    assert!(!parsed("{{#Back}}{{Front}}{{/Back}}").renders_with(&filled));
    assert!(!parsed("{{^Front}}{{Front}}{{/Front}}").renders_with(&filled));
}

#[test]
fn deep_sections_are_refused_not_overflowed() {
    let deep = "{{#A}}".repeat(100_000) + &"{{/A}}".repeat(100_000);
    assert_eq!(Template::parse(&deep).unwrap_err(), TemplateError::TooDeep);
    let ok = "{{#A}}".repeat(60) + "{{A}}" + &"{{/A}}".repeat(60);
    let f = fields(&[("A", "x")]);
    assert_eq!(render(&ok, &f, None), "x");
}

proptest::proptest! {
    /// Any soup of template syntax parses or is refused, and renders or
    /// names its error: never a panic, never a loop.
    #[test]
    fn any_template_text_is_handled(
        pieces in proptest::collection::vec(proptest::sample::select(vec![
            "{{", "}}", "{{#A}}", "{{^B}}", "{{/A}}", "{{/B}}", "{{A}}", "{{cloze:A}}",
            "{{text:hint:B}}", "{{FrontSide}}", "<!--", "-->", "{{=<% %>=}}", "<%A%>",
            "{{c1::x}}", ":", "x", " ", "{{#c1}}", "{{/c1}}", "{{}}", "{{:}}",
        ]), 0..40)
    ) {
        let text = pieces.concat();
        let f = fields(&[("A", "{{c1::a}} <b>b</b>"), ("B", "")]);
        if let Ok(template) = Template::parse(&text) {
            for front_side in [None, Some("front")] {
                let card = CardContext { fields: &f, ord: 0, front_side };
                let _ = template.render(&card);
            }
            let _ = template.renders_with(&|name| name == "A");
        }
    }
}

#[test]
fn emptiness_is_anki_s() {
    assert!(field_is_empty(" <br> <div></div>\n<BR/>"));
    assert!(!field_is_empty("<div>x</div>"));
    assert!(!field_is_empty("<img src=a>"));
    assert!(!field_is_empty("<br"));
}

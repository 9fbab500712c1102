use super::*;
use proptest::prelude::*;

fn shown(text: &str) -> String {
    display(text).into_owned()
}

#[test]
fn the_common_subset_reads_as_unicode() {
    assert_eq!(shown(r"$a \in \mathbb{R}$"), "a ∈ ℝ");
    assert_eq!(shown(r"\(\alpha + \beta \le \gamma\)"), "α + β ≤ γ");
    assert_eq!(
        shown(r"\[\frac{a}{b} \ne \frac{n!}{k!(n-k)!}\]"),
        "a/b ≠ n!/(k!(n-k)!)"
    );
    assert_eq!(shown(r"$x^2 + y^{10} = z_{0}$"), "x² + y¹⁰ = z₀");
    assert_eq!(shown(r"$\sum_{k=0}^{n} a^{n-k}$"), "∑ₖ₌₀ⁿ aⁿ⁻ᵏ");
    assert_eq!(
        shown(r"$\sqrt{2} \cdot \sqrt{x+1} \approx \sqrt[3]{8}$"),
        "√2 · √(x+1) ≈ ∛8"
    );
    assert_eq!(shown(r"$\int_0^\infty f \, dx$"), "∫₀^∞ f dx");
    assert_eq!(shown(r"$\lim_{n \to \infty} a_n$"), "lim_(n → ∞) aₙ");
    assert_eq!(shown(r"$\left|x\right| \times 3$"), "|x| × 3");
    assert_eq!(shown(r"$\mathbb{N}_{0}$, $\bar{x}$"), "ℕ₀, x̄");
    assert_eq!(shown(r"$x \not\in A$ \text{}"), r"x ∉ A \text{}");
    assert_eq!(shown(r"$\text{falls } x \geq 0$"), "falls x ≥ 0");
}

#[test]
fn every_delimiter_anki_and_mathjax_use_is_read() {
    for text in [
        r"\(\pi\)",
        r"\[\pi\]",
        r"$\pi$",
        r"$$\pi$$",
        r"[$]\pi[/$]",
        r"[$$]\pi[/$$]",
        r"[latex]\pi[/latex]",
    ] {
        assert_eq!(shown(&format!("x {text} y")), "x π y", "{text}");
    }
    assert_eq!(shown("Für\n$$\n\\frac{1}{2}\n$$\ngilt"), "Für\n1/2\ngilt");
}

#[test]
fn what_the_reader_does_not_know_stays_as_written() {
    let env = r"$\begin{array}{ll} a & b \end{array}$";
    assert_eq!(shown(env), env);
    assert_eq!(
        shown(r"$\unknowncommand{x}$ and $\pi$"),
        r"$\unknowncommand{x}$ and π"
    );
    assert_eq!(shown(r"$\frac{a}{b$"), r"$\frac{a}{b$");
    assert_eq!(shown(r"\(x^\)"), r"\(x^\)");
    // Nesting is bounded: groups, arguments of arguments, roots' indexes.
    for deep in [
        format!("${}x{}$", "{".repeat(100), "}".repeat(100)),
        format!("${}x$", r"\frac".repeat(100_000)),
        format!("${}x$", r"\not".repeat(100_000)),
        format!("${}x{}$", r"\sqrt[".repeat(100_000), "]".repeat(100_000)),
    ] {
        assert_eq!(shown(&deep), deep);
    }
}

#[test]
fn dollars_that_are_money_are_left_alone() {
    for text in [
        "costs $5 or $10",
        "between $ 3 and $ 4",
        "a $ b $ c",
        r"escaped \$x\$ dollars",
        "$5.99",
        "unclosed $x",
        "\\(never closed",
        "[latex]never closed",
    ] {
        assert_eq!(shown(text), text);
        assert!(matches!(display(text), Cow::Borrowed(_)), "{text}");
    }
    assert_eq!(shown("$x$ costs $5"), "x costs $5");
}

#[test]
fn a_kit_analysis_card_reads_as_unicode() {
    // From the corpus' KIT_HM_1 deck, as recall stores it.
    let back = r"Für $a, b \in \mathbb{R}$ und $n \in \mathbb{N}_{0}$ gilt: $|a+b| \leq|a|+|b|$";
    assert_eq!(shown(back), "Für a, b ∈ ℝ und n ∈ ℕ₀ gilt: |a+b| ≤|a|+|b|");
    let limit = r"$\exists \gamma \in \mathbb{R} \forall x \in M: x \leq \gamma$";
    assert_eq!(shown(limit), "∃ γ ∈ ℝ ∀ x ∈ M: x ≤ γ");
}

proptest! {
    #[test]
    fn text_without_math_comes_back_unchanged(text in "[^$\\\\\\[]{0,80}") {
        prop_assert!(matches!(display(&text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn any_text_is_shown_without_panicking(text in r"(\PC|[$\\{}^_\[\]()])*") {
        let out = display(&text);
        // Text outside formulas is kept: a formula only ever shrinks or
        // swaps its characters, it never adds lines.
        prop_assert!(out.matches('\n').count() <= text.matches('\n').count());
    }
}

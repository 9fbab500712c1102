//! The TeX that `math_text` reads: commands that stand for one symbol or a
//! word, the double-struck letters of `\mathbb`, and the superscript and
//! subscript forms Unicode has. A command not listed here leaves its whole
//! formula shown as source.

/// `\name` → what it shows. Greek, relations, arrows, operators, big
/// operators, dots and spacing: the commands of the formulas on real cards
/// (the KIT analysis deck of the corpus uses all of the common ones).
pub fn symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        // Greek, lower case (with the var- forms) and upper case.
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" => "ϵ",
        "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" => "θ",
        "vartheta" => "ϑ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "varpi" => "ϖ",
        "rho" => "ρ",
        "varrho" => "ϱ",
        "sigma" => "σ",
        "varsigma" => "ς",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" => "ϕ",
        "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Upsilon" => "Υ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        // Relations.
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "ne" | "neq" => "≠",
        "approx" => "≈",
        "equiv" => "≡",
        "sim" => "∼",
        "simeq" => "≃",
        "cong" => "≅",
        "propto" => "∝",
        "ll" => "≪",
        "gg" => "≫",
        "in" => "∈",
        "notin" => "∉",
        "ni" => "∋",
        "subset" => "⊂",
        "subseteq" => "⊆",
        "subsetneq" => "⊊",
        "supset" => "⊃",
        "supseteq" => "⊇",
        "perp" => "⊥",
        "parallel" => "∥",
        "mid" => "∣",
        // Arrows.
        "to" | "rightarrow" => "→",
        "leftarrow" | "gets" => "←",
        "leftrightarrow" => "↔",
        "Rightarrow" => "⇒",
        "Leftarrow" => "⇐",
        "Leftrightarrow" => "⇔",
        "longrightarrow" => "⟶",
        "longleftarrow" => "⟵",
        "Longrightarrow" | "implies" => "⟹",
        "Longleftarrow" | "impliedby" => "⟸",
        "Longleftrightarrow" | "iff" => "⟺",
        "mapsto" => "↦",
        "uparrow" => "↑",
        "downarrow" => "↓",
        "nearrow" => "↗",
        "searrow" => "↘",
        // Operators and logic.
        "times" => "×",
        "cdot" => "·",
        "div" => "÷",
        "pm" => "±",
        "mp" => "∓",
        "ast" => "∗",
        "star" => "⋆",
        "circ" => "∘",
        "oplus" => "⊕",
        "otimes" => "⊗",
        "cup" => "∪",
        "cap" => "∩",
        "setminus" | "backslash" => "∖",
        "forall" => "∀",
        "exists" => "∃",
        "nexists" => "∄",
        "neg" | "lnot" => "¬",
        "land" | "wedge" => "∧",
        "lor" | "vee" => "∨",
        "emptyset" | "varnothing" => "∅",
        "infty" => "∞",
        "partial" => "∂",
        "nabla" => "∇",
        "angle" => "∠",
        "triangle" => "△",
        "prime" => "′",
        "ell" => "ℓ",
        "hbar" => "ℏ",
        "Re" => "ℜ",
        "Im" => "ℑ",
        "aleph" => "ℵ",
        // Big operators.
        "sum" => "∑",
        "prod" => "∏",
        "coprod" => "∐",
        "int" => "∫",
        "iint" => "∬",
        "iiint" => "∭",
        "oint" => "∮",
        "bigcup" => "⋃",
        "bigcap" => "⋂",
        // Delimiters.
        "langle" => "⟨",
        "rangle" => "⟩",
        "lfloor" => "⌊",
        "rfloor" => "⌋",
        "lceil" => "⌈",
        "rceil" => "⌉",
        "lvert" | "rvert" | "vert" => "|",
        "lVert" | "rVert" | "Vert" => "‖",
        // Dots.
        "ldots" | "dots" | "dotsc" | "dotsb" => "…",
        "cdots" => "⋯",
        "vdots" => "⋮",
        "ddots" => "⋱",
        // Spacing.
        "quad" => "  ",
        "qquad" => "    ",
        // Named functions: upright words in TeX, plain words here.
        "sin" => "sin",
        "cos" => "cos",
        "tan" => "tan",
        "cot" => "cot",
        "sec" => "sec",
        "csc" => "csc",
        "arcsin" => "arcsin",
        "arccos" => "arccos",
        "arctan" => "arctan",
        "sinh" => "sinh",
        "cosh" => "cosh",
        "tanh" => "tanh",
        "coth" => "coth",
        "log" => "log",
        "ln" => "ln",
        "lg" => "lg",
        "exp" => "exp",
        "lim" => "lim",
        "limsup" | "varlimsup" => "lim sup",
        "liminf" | "varliminf" => "lim inf",
        "sup" => "sup",
        "inf" => "inf",
        "max" => "max",
        "min" => "min",
        "arg" => "arg",
        "det" => "det",
        "deg" => "deg",
        "dim" => "dim",
        "ker" => "ker",
        "gcd" => "gcd",
        "mod" | "bmod" => "mod",
        _ => return None,
    })
}

/// `\X` for X not a letter: escaped characters and small spaces.
pub fn escaped(c: char) -> Option<&'static str> {
    Some(match c {
        '{' => "{",
        '}' => "}",
        '|' => "‖",
        '%' => "%",
        '$' => "$",
        '&' => "&",
        '#' => "#",
        '_' => "_",
        ',' | ':' | ';' | ' ' => " ",
        '!' => "",
        _ => return None,
    })
}

/// Commands that only size a delimiter (`\left(`, `\big|`): the delimiter
/// stays, the command goes.
pub fn is_sizing(name: &str) -> bool {
    matches!(
        name,
        "left"
            | "right"
            | "big"
            | "Big"
            | "bigg"
            | "Bigg"
            | "bigl"
            | "bigr"
            | "Bigl"
            | "Bigr"
            | "middle"
            | "displaystyle"
            | "textstyle"
            | "limits"
            | "nolimits"
    )
}

/// Commands whose argument is shown as it is: text and fonts a terminal
/// has no face for.
pub fn is_text(name: &str) -> bool {
    matches!(
        name,
        "text"
            | "textrm"
            | "textit"
            | "textbf"
            | "textsf"
            | "texttt"
            | "mathrm"
            | "mathit"
            | "mathbf"
            | "mathsf"
            | "mathtt"
            | "operatorname"
            | "boldsymbol"
            | "mbox"
            | "emph"
    )
}

/// A combining accent (`\bar{x}` → x̄), put after each character of the
/// argument.
pub fn accent(name: &str) -> Option<char> {
    Some(match name {
        "bar" => '\u{304}',
        "overline" => '\u{305}',
        "hat" | "widehat" => '\u{302}',
        "tilde" | "widetilde" => '\u{303}',
        "vec" => '\u{20d7}',
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "underline" => '\u{332}',
        _ => return None,
    })
}

/// `\mathbb{R}` → ℝ: the letters with a character of their own in the
/// Basic Multilingual Plane, the rest from the mathematical block.
pub fn double_struck(c: char) -> Option<char> {
    Some(match c {
        'C' => 'ℂ',
        'H' => 'ℍ',
        'N' => 'ℕ',
        'P' => 'ℙ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'Z' => 'ℤ',
        'A'..='Z' => char::from_u32(0x1D538 + (c as u32 - 'A' as u32))?,
        'a'..='z' => char::from_u32(0x1D552 + (c as u32 - 'a' as u32))?,
        '0'..='9' => char::from_u32(0x1D7D8 + (c as u32 - '0' as u32))?,
        _ => return None,
    })
}

/// The superscript form of `c`, where Unicode has one.
pub fn superscript(c: char) -> Option<char> {
    const LETTERS: &str = "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖ\0ʳˢᵗᵘᵛʷˣʸᶻ";
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32(0x2074 + (c as u32 - '4' as u32))?,
        '+' => '⁺',
        '-' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        '\'' => '′',
        'a'..='z' => LETTERS
            .chars()
            .nth(c as usize - 'a' as usize)
            .filter(|s| *s != '\0')?,
        _ => return None,
    })
}

/// The subscript form of `c`, where Unicode has one.
pub fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => char::from_u32(0x2080 + (c as u32 - '0' as u32))?,
        '+' => '₊',
        '-' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        _ => return None,
    })
}

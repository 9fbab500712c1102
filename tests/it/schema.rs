//! A checker for the subset of JSON Schema that docs/stats.schema.json uses.

use serde_json::Value;

pub fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/stats.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Checks `value` against the subset of JSON Schema that docs/stats.schema.json
/// uses (type, const, properties, required, additionalProperties, items,
/// minItems/maxItems, minimum/maximum, format date). Hand-written because the
/// jsonschema crate would pull an HTTP client and regex engines into the
/// build for one test; unknown keywords fail loudly so the schema cannot
/// outgrow the checker silently.
pub fn validate(schema: &Value, value: &Value, path: &str) {
    let known = [
        "$schema",
        "title",
        "description",
        "type",
        "const",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "format",
    ];
    for key in schema.as_object().unwrap().keys() {
        assert!(
            known.contains(&key.as_str()),
            "schema keyword {key} not supported"
        );
    }
    if let Some(c) = schema.get("const") {
        assert_eq!(value, c, "{path}");
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().map(|v| v.as_str().unwrap()).collect(),
            _ => panic!("bad type"),
        };
        let ok = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            "null" => value.is_null(),
            other => panic!("type {other}"),
        });
        assert!(ok, "{path}: {value} is not {types:?}");
    }
    if let (Some(min), Some(n)) = (schema.get("minimum"), value.as_f64()) {
        assert!(n >= min.as_f64().unwrap(), "{path}: {n} < {min}");
    }
    if let (Some(max), Some(n)) = (schema.get("maximum"), value.as_f64()) {
        assert!(n <= max.as_f64().unwrap(), "{path}: {n} > {max}");
    }
    if schema.get("format").and_then(Value::as_str) == Some("date") {
        let s = value.as_str().unwrap();
        assert!(
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            "{path}: {s}"
        );
    }
    if let Some(obj) = value.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(
                obj.contains_key(name.as_str().unwrap()),
                "{path}: no {name}"
            );
        }
        for (key, v) in obj {
            match props.and_then(|p| p.get(key)) {
                Some(sub) => validate(sub, v, &format!("{path}.{key}")),
                None => assert!(
                    schema.get("additionalProperties") != Some(&Value::Bool(false)),
                    "{path}: unexpected {key}"
                ),
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(n) = schema.get("minItems") {
            assert!(items.len() as u64 >= n.as_u64().unwrap(), "{path}: too few");
        }
        if let Some(n) = schema.get("maxItems") {
            assert!(
                items.len() as u64 <= n.as_u64().unwrap(),
                "{path}: too many"
            );
        }
        if let Some(sub) = schema.get("items") {
            for (i, v) in items.iter().enumerate() {
                validate(sub, v, &format!("{path}[{i}]"));
            }
        }
    }
}

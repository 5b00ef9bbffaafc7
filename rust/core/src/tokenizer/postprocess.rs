//! Post-processors: the special tokens HF adds around a single sequence when
//! `add_special_tokens` is true (`TemplateProcessing`, `BertProcessing`, `RobertaProcessing`;
//! `ByteLevel` only touches offsets and adds nothing).
use crate::error::{Error, Result};
use crate::tokenizer::ids::id_of;
use serde_json::Value;

pub enum PostProcessor {
    /// Ids before and after the sequence.
    Wrap {
        before: Vec<u32>,
        after: Vec<u32>,
    },
    Sequence(Vec<PostProcessor>),
    Nothing,
}

impl PostProcessor {
    pub fn from_json(v: &Value) -> Result<PostProcessor> {
        let ty = v
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| Error::MissingField("post_processor.type".into()))?;
        Ok(match ty {
            "ByteLevel" => PostProcessor::Nothing,
            "TemplateProcessing" => {
                let single = v
                    .get("single")
                    .and_then(Value::as_array)
                    .ok_or_else(|| Error::MissingField("post_processor.single".into()))?;
                let specials = v.get("special_tokens");
                let (mut before, mut after, mut seen_seq) = (vec![], vec![], false);
                for piece in single {
                    if piece.get("Sequence").is_some() {
                        seen_seq = true;
                    } else if let Some(name) =
                        piece.pointer("/SpecialToken/id").and_then(Value::as_str)
                    {
                        let ids = specials
                            .and_then(|s| s.get(name))
                            .and_then(|s| s.get("ids"))
                            .and_then(Value::as_array)
                            .ok_or_else(|| Error::InvalidField {
                                field: "post_processor.special_tokens".into(),
                                reason: format!("no ids for {name:?}"),
                            })?;
                        let ids = ids
                            .iter()
                            .map(|x| {
                                id_of(x, "post_processor.special_tokens", &format!("{name:?}"))
                            })
                            .collect::<Result<Vec<u32>>>()?;
                        if seen_seq {
                            after.extend(ids)
                        } else {
                            before.extend(ids)
                        }
                    }
                }
                PostProcessor::Wrap { before, after }
            }
            "BertProcessing" | "RobertaProcessing" => {
                let id = |k: &str| {
                    let x = v
                        .get(k)
                        .and_then(|x| x.get(1))
                        .ok_or_else(|| Error::MissingField(format!("post_processor.{k}")))?;
                    id_of(x, &format!("post_processor.{k}"), k)
                };
                PostProcessor::Wrap {
                    before: vec![id("cls")?],
                    after: vec![id("sep")?],
                }
            }
            "Sequence" => {
                let list = v
                    .get("processors")
                    .and_then(Value::as_array)
                    .ok_or_else(|| Error::MissingField("post_processor.processors".into()))?;
                PostProcessor::Sequence(
                    list.iter()
                        .map(PostProcessor::from_json)
                        .collect::<Result<_>>()?,
                )
            }
            other => {
                return Err(Error::UnknownType {
                    what: "post_processor",
                    name: other.to_string(),
                })
            }
        })
    }

    /// (ids to put before, ids to put after) a single sequence.
    pub fn wrap(&self) -> (Vec<u32>, Vec<u32>) {
        match self {
            PostProcessor::Wrap { before, after } => (before.clone(), after.clone()),
            PostProcessor::Nothing => (vec![], vec![]),
            PostProcessor::Sequence(list) => {
                let (mut b, mut a) = (vec![], vec![]);
                for p in list {
                    let (pb, pa) = p.wrap();
                    // Each processor wraps the result of the previous one.
                    b.splice(0..0, pb);
                    a.extend(pa);
                }
                (b, a)
            }
        }
    }
}

//! Panics leave the instance as one line of text, not as a bare trap.
//!
//! The release build has `panic = "abort"`: a panic runs the hook, then traps (`unreachable`), and
//! the WebAssembly instance is unusable afterwards (its stack pointer and borrow flags are left
//! mid-call). The hook below hands the panic message to JavaScript *before* the trap; the
//! TypeScript side (src/wasm.ts) turns the trap into a `VocabsmithError` carrying that message and
//! the name of the call, and replaces the instance with a fresh one.
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static SINK: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Registers `sink(message)`, called with the message of any panic just before the instance traps.
#[wasm_bindgen(js_name = setPanicSink)]
pub fn set_panic_sink(
    #[wasm_bindgen(unchecked_param_type = "(message: string) => void")] sink: js_sys::Function,
) {
    SINK.with(|s| *s.borrow_mut() = Some(sink));
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("panic");
        let text = match info.location() {
            Some(l) => format!("{message} (at {}:{})", l.file(), l.line()),
            None => message.to_string(),
        };
        SINK.with(|s| {
            // try_borrow: a panic while the sink itself is being replaced must not panic again.
            if let Ok(sink) = s.try_borrow() {
                if let Some(f) = sink.as_ref() {
                    let _ = f.call1(&JsValue::NULL, &JsValue::from_str(&text));
                }
            }
        });
    }));
}

/// Panics on purpose: lets the tests check that a panic becomes one clear error and that the
/// core keeps working afterwards.
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test(message: &str) {
    panic!("{message}");
}

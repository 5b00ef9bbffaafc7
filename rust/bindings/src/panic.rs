//! Panics leave the instance as one line of text, not as a bare trap.
//!
//! The release build has `panic = "abort"`: a panic runs the hook, then traps (`unreachable`), and
//! the WebAssembly instance is unusable afterwards (its stack pointer and borrow flags are left
//! mid-call). The hook below hands the panic message to JavaScript *before* the trap; the
//! TypeScript side (src/wasm.ts) turns the trap into a `VocabsmithError` carrying that message and
//! the name of the call, and replaces the instance with a fresh one.
//!
//! Running out of memory is not a panic: Rust's allocation-error handler aborts without calling
//! the hook (and on wasm32-unknown-unknown prints nowhere). So the global allocator below notes
//! the size of a refused allocation; `allocFailure` reads it, and src/wasm.ts asks for it after a
//! trap (on the trapped instance, before replacing it) to say "out of memory" instead of a bare
//! `unreachable`.
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};
use wasm_bindgen::prelude::*;

/// Size of the last allocation the system allocator refused (0: none since the instance started).
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// The system allocator (dlmalloc on wasm32), noting refused allocations (a null check per
/// call) and growing the memory ahead (`ahead`).
struct NotingAlloc;

unsafe impl GlobalAlloc for NotingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pages = memory_pages();
        ahead(pages, noted(System.alloc(layout), layout.size()))
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pages = memory_pages();
        ahead(pages, noted(System.alloc_zeroed(layout), layout.size()))
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let pages = memory_pages();
        ahead(
            pages,
            noted(System.realloc(ptr, layout, new_size), new_size),
        )
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

fn noted(p: *mut u8, size: usize) -> *mut u8 {
    if p.is_null() {
        REFUSED.store(size, Ordering::Relaxed);
    }
    p
}

/// WebAssembly pages (64 KiB) of the instance's memory; 0 off wasm32 (no growth to manage).
fn memory_pages() -> usize {
    #[cfg(target_arch = "wasm32")]
    return core::arch::wasm32::memory_size(0);
    #[cfg(not(target_arch = "wasm32"))]
    0
}

/// Grows the memory ahead once an allocation made it grow: dlmalloc asks for what one request
/// needs (rounded to 64 KiB), and each `memory.grow` costs V8 milliseconds (the buffer is
/// detached and remade, and a GC follows: `node --cpu-prof` of the byte-probability loop on
/// Llama-3 showed 0.8 s in dlmalloc's system alloc and 1 s of GC over 384 bytes, ~30 grows of a
/// few MB). After a grow, one more of 1/8 of the memory (at most 64 MiB) goes to dlmalloc's top
/// chunk at once, by a block allocated and freed at once: grows become geometric, a few per
/// doubling. Best effort: when that block is refused (near the 4 GiB limit) nothing happens.
fn ahead(pages_before: usize, p: *mut u8) -> *mut u8 {
    if !p.is_null() && memory_pages() > pages_before {
        let bytes = (memory_pages() << 16) / 8;
        let bytes = bytes.min(64 << 20);
        if let Ok(layout) = Layout::from_size_align(bytes, 16) {
            // SAFETY: a non-zero size; the block is freed at once with the same layout.
            unsafe {
                let q = System.alloc(layout);
                if !q.is_null() {
                    System.dealloc(q, layout);
                }
            }
        }
    }
    p
}

#[global_allocator]
static ALLOC: NotingAlloc = NotingAlloc;

/// Bytes of the last allocation the core could not get (its memory is full: 32-bit WebAssembly
/// has at most 4 GiB), 0 when none failed. Safe to call on an instance that trapped: it only
/// reads one static.
#[wasm_bindgen(js_name = allocFailure)]
pub fn alloc_failure() -> f64 {
    REFUSED.load(Ordering::Relaxed) as f64
}

/// Asks for `bytes` at once and keeps them (tests of the out-of-memory path: past what 32-bit
/// WebAssembly can hold, the allocation fails and the instance traps as in a real exhaustion).
#[wasm_bindgen(js_name = allocForTest)]
pub fn alloc_for_test(bytes: f64) -> usize {
    let v: Vec<u8> = Vec::with_capacity(bytes as usize);
    let len = v.capacity();
    std::mem::forget(v);
    len
}

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

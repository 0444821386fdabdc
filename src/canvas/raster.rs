//! The far view's servers, rasterised in the wasm: boxes, frames and
//! crosses into a pixel buffer that reaches the canvas in one
//! `putImageData`.
//!
//! Why not the canvas's own drawing: at 10,000 servers its path of 10,000
//! rectangles took the browser's rasteriser 22-28 ms on every change
//! (`fillRect` one by one, 11 ms), where filling the pixels of boxes two or
//! three pixels across here takes about one; and one call replaces 10,000
//! calls across the wasm boundary. Only what the far view draws is here:
//! axis-aligned boxes and straight lines, antialiased by the share of each
//! pixel they cover, blended source-over. The protections under them stay
//! with the canvas's stroker (`lines.rs`), faster for 10,000 lines of a
//! few hundred pixels each than this (130 ms). The minimap's shapes are
//! painted here too (`minimap.rs`).

use std::cell::RefCell;

use leptos::prelude::document;
use wasm_bindgen::JsCast;

thread_local! {
    /// Colours read so far, by their CSS text: [r, g, b, a], or None
    /// for no paint. A handful, so a list is all the lookup needs.
    static COLOURS: RefCell<Vec<(String, Option<[u8; 4]>)>> = const { RefCell::new(Vec::new()) };
}

/// A CSS colour (as a computed style gives it: `rgb(r, g, b)` or
/// `rgba(r, g, b, a)`) with opacity `alpha`, or None for none or a
/// transparent colour. Any other colour syntax is read by the browser
/// itself, once: a pixel painted in it on a scratch canvas (which a
/// browser guarding against fingerprinting may blur; the computed style's
/// own text is read first for that reason).
pub fn colour(css: &str, alpha: f64) -> Option<Rgba> {
    if css.is_empty() || css == "none" {
        return None;
    }
    let known = COLOURS.with(|m| m.borrow().iter().find(|(k, _)| k == css).map(|(_, v)| *v));
    let rgba = known.unwrap_or_else(|| {
        let read = || -> Option<[u8; 4]> {
            if let Some(c) = rgb_text(css) {
                return Some(c).filter(|p| p[3] > 0);
            }
            let el: web_sys::HtmlCanvasElement =
                document().create_element("canvas").ok()?.unchecked_into();
            el.set_width(1);
            el.set_height(1);
            let g: web_sys::CanvasRenderingContext2d = el.get_context("2d").ok()??.unchecked_into();
            g.set_fill_style_str("rgba(0, 0, 0, 0)");
            g.set_fill_style_str(css);
            g.fill_rect(0.0, 0.0, 1.0, 1.0);
            let d = g.get_image_data(0.0, 0.0, 1.0, 1.0).ok()?.data();
            Some([d[0], d[1], d[2], d[3]]).filter(|p| p[3] > 0)
        };
        let rgba = read();
        COLOURS.with(|m| m.borrow_mut().push((css.to_string(), rgba)));
        rgba
    })?;
    Some(Rgba::new(rgba, alpha))
}

/// `canvas` with a backing store of `pw` by `ph` pixels, cleared (when
/// `clear`; a new size clears it anyway), and its 2D context, with no
/// transform when cleared and its state untouched otherwise; None when it
/// has no pixels (or no context). Setting the size clears a canvas and
/// allocates, so it is set only when it changed; `resized` runs then.
///
/// A canvas not cleared gets no call: a layer left as it was (the far
/// view's base of protections, kept through most edits) is not touched.
pub fn clear_canvas(
    canvas: &web_sys::HtmlCanvasElement,
    (pw, ph): (u32, u32),
    clear: bool,
    resized: impl FnOnce(),
) -> Option<web_sys::CanvasRenderingContext2d> {
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
        resized();
    }
    if pw == 0 || ph == 0 {
        return None;
    }
    let g: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.unchecked_into();
    if clear {
        let _ = g.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
        g.clear_rect(0.0, 0.0, pw as f64, ph as f64);
    }
    Some(g)
}

/// The channels of `rgb(r, g, b)` or `rgba(r, g, b, a)` (commas, spaces or
/// a slash between them), as computed styles write colours; None for any
/// other text.
fn rgb_text(css: &str) -> Option<[u8; 4]> {
    let inner = css
        .strip_prefix("rgba(")
        .or_else(|| css.strip_prefix("rgb("))?
        .strip_suffix(')')?;
    if inner.contains('%') {
        return None;
    }
    // The browser's own number reading: Rust's would add its float parser
    // to the bundle.
    let v: Vec<f64> = inner
        .split([',', '/', ' '])
        .filter(|p| !p.is_empty())
        .map(js_sys::parse_float)
        .collect();
    if !(3..=4).contains(&v.len()) || v.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let a = v.get(3).copied().unwrap_or(1.0).clamp(0.0, 1.0);
    let c = |x: f64| x.clamp(0.0, 255.0).round() as u8;
    Some([c(v[0]), c(v[1]), c(v[2]), c(a * 255.0)])
}

/// A colour with its alpha, premultiplied, each in 0..=1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rgba(pub [f32; 4]);

impl Rgba {
    /// From straight (not premultiplied) 8-bit channels, with `alpha` (an
    /// opacity, 0..=1) applied on top of the colour's own.
    pub fn new([r, g, b, a]: [u8; 4], alpha: f64) -> Rgba {
        // (A NaN opacity paints nothing.)
        let alpha = if alpha.is_nan() {
            0.0
        } else {
            alpha.clamp(0.0, 1.0)
        };
        let a = a as f32 / 255.0 * alpha as f32;
        Rgba([
            r as f32 / 255.0 * a,
            g as f32 / 255.0 * a,
            b as f32 / 255.0 * a,
            a,
        ])
    }

    fn is_clear(self) -> bool {
        self.0[3] <= 0.0
    }
}

/// A pixel buffer, `w` by `h`, premultiplied RGBA while it is painted
/// ([`Pixels::finish`] makes it the straight RGBA a canvas takes).
#[derive(Default)]
pub struct Pixels {
    pub w: usize,
    pub h: usize,
    data: Vec<u8>,
    /// The rows painted since the buffer was cleared (zoomed out, an
    /// estate takes a band of the canvas): what clearing and finishing
    /// go through.
    rows: std::ops::Range<usize>,
    /// The only pixels painting may touch, when set ([`Pixels::clip`]).
    clip: Option<Area>,
}

/// A box of whole pixels: columns `x`, rows `y`.
#[derive(Clone, Debug, PartialEq)]
pub struct Area {
    pub x: std::ops::Range<usize>,
    pub y: std::ops::Range<usize>,
}

impl Area {
    /// The pixels that the box from (`x0`, `y0`) to (`x1`, `y1`) touches,
    /// within a buffer `w` by `h`.
    pub fn around((x0, y0): (f64, f64), (x1, y1): (f64, f64), (w, h): (usize, usize)) -> Area {
        Area {
            x: span(x0, x1, w),
            y: span(y0, y1, h),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty() || self.y.is_empty()
    }

    /// Whether the two share a pixel.
    pub fn meets(&self, o: &Area) -> bool {
        self.x.start < o.x.end
            && o.x.start < self.x.end
            && self.y.start < o.y.end
            && o.y.start < self.y.end
    }

    /// The least box holding both.
    pub fn join(&self, o: &Area) -> Area {
        Area {
            x: self.x.start.min(o.x.start)..self.x.end.max(o.x.end),
            y: self.y.start.min(o.y.start)..self.y.end.max(o.y.end),
        }
    }
}

impl Pixels {
    /// Sizes the buffer `w` by `h` and clears it (the allocation is kept
    /// from one painting to the next).
    pub fn clear(&mut self, w: usize, h: usize) {
        if (w, h) == (self.w, self.h) && self.data.len() == w * h * 4 {
            let r = self.rows.clone();
            self.data[r.start * w * 4..r.end * w * 4].fill(0);
        } else {
            self.w = w;
            self.h = h;
            self.data.clear();
            self.data.resize(w * h * 4, 0);
        }
        self.rows = 0..0;
        self.clip = None;
    }

    /// Paints from now on only inside `area` (None: anywhere), after
    /// clearing it when `clear`: what repainting a part of the buffer
    /// takes, each shape painted as it is whole and cut to the area.
    pub fn clip(&mut self, area: Option<Area>, clear: bool) {
        if let (Some(a), true) = (&area, clear) {
            let x = a.x.start.min(self.w)..a.x.end.min(self.w).max(a.x.start.min(self.w));
            for y in a.y.start.min(self.h)..a.y.end.min(self.h) {
                let row = y * self.w * 4;
                self.data[row + x.start * 4..row + x.end * 4].fill(0);
            }
        }
        self.clip = area;
    }

    /// The area painting is cut to, if any ([`Pixels::clip`]).
    pub fn clipped(&self) -> Option<Area> {
        self.clip.clone()
    }

    /// The pixels (within the buffer and the clip) that `[a, b)` touches
    /// across the columns (`rows`: the rows).
    fn reach(&self, a: f64, b: f64, rows: bool) -> std::ops::Range<usize> {
        let r = span(a, b, if rows { self.h } else { self.w });
        match &self.clip {
            None => r,
            Some(c) => {
                let c = if rows { &c.y } else { &c.x };
                let lo = r.start.max(c.start);
                lo..r.end.min(c.end).max(lo)
            }
        }
    }

    /// The rows painted since the buffer was cleared.
    pub fn rows(&self) -> std::ops::Range<usize> {
        self.rows.clone()
    }

    /// Counts rows `r` as painted.
    fn touch(&mut self, r: std::ops::Range<usize>) {
        if r.is_empty() {
            return;
        }
        self.rows = if self.rows.is_empty() {
            r
        } else {
            self.rows.start.min(r.start)..self.rows.end.max(r.end)
        };
    }

    /// Blends `c` over pixel (`x`, `y`), which covers `cov` (0..=1) of it.
    fn blend(&mut self, x: usize, y: usize, c: Rgba, cov: f32) {
        let i = (y * self.w + x) * 4;
        blend_into(&mut self.data[i..i + 4], c, cov);
    }

    /// Fills the box from (`x0`, `y0`) to (`x1`, `y1`), in pixels: the
    /// pixels on its edges by the share of them it covers.
    pub fn fill_rect(&mut self, (x0, y0): (f64, f64), (x1, y1): (f64, f64), c: Rgba) {
        if c.is_clear() || x1 <= x0 || y1 <= y0 {
            return;
        }
        let (cols, rows) = (self.reach(x0, x1, false), self.reach(y0, y1, true));
        if cols.is_empty() {
            return;
        }
        self.touch(rows.clone());
        // An opaque colour over a whole pixel is the colour's bytes (what
        // `blend_into` gives): written as they are, the selection's frames
        // round all 10,000 servers of a fitted estate took 46 ms to paint
        // pixel by pixel through the blend.
        let solid = (c.0[3] >= 1.0).then(|| c.0.map(|v| (v * 255.0 + 0.5).min(255.0) as u8));
        // The columns the box covers whole.
        let whole = {
            let lo = (x0.ceil().max(0.0) as usize).clamp(cols.start, cols.end);
            lo..(x1.floor().max(0.0) as usize).clamp(lo, cols.end)
        };
        for y in rows {
            let cy = overlap(y, y0, y1);
            let row = y * self.w;
            let blend = |x: usize, data: &mut [u8]| {
                let i = (row + x) * 4;
                blend_into(&mut data[i..i + 4], c, cy * overlap(x, x0, x1));
            };
            match solid {
                Some(px) if cy >= 1.0 => {
                    for x in (cols.start..whole.start).chain(whole.end..cols.end) {
                        blend(x, &mut self.data);
                    }
                    let inside = &mut self.data[(row + whole.start) * 4..(row + whole.end) * 4];
                    for p in inside.chunks_exact_mut(4) {
                        p.copy_from_slice(&px);
                    }
                }
                _ => {
                    for x in cols.clone() {
                        blend(x, &mut self.data);
                    }
                }
            }
        }
    }

    /// A line `width` pixels wide from `a` to `b` (butt ends), dashed by
    /// `dash` (lengths in pixels, on and off in turn, as SVG's
    /// `stroke-dasharray`; empty for a solid line). Each pixel is covered
    /// by the share of its column (or row, for a steep line) the line's
    /// thickness there takes.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), width: f64, dash: &[f64], c: Rgba) {
        let steep = (b.1 - a.1).abs() > (b.0 - a.0).abs();
        // Along the major axis (u) and across it (v).
        let (mut u0, mut v0, mut u1, mut v1) = if steep {
            (a.1, a.0, b.1, b.0)
        } else {
            (a.0, a.1, b.0, b.1)
        };
        if c.is_clear() || width <= 0.0 || u0 == u1 || !(u0 + u1 + v0 + v1).is_finite() {
            return;
        }
        if u0 > u1 {
            (u0, v0, u1, v1) = (u1, v1, u0, v0);
        }
        let slope = (v1 - v0) / (u1 - u0);
        // Length along the line per unit along u; half the thickness
        // across u.
        let sec = (1.0 + slope * slope).sqrt();
        let half = width * sec / 2.0;
        let dash = Dash(dash);
        let dashed = dash.period() > 0.0;
        for i in self.reach(u0, u1, steep) {
            let (lo, hi) = ((i as f64).max(u0), ((i + 1) as f64).min(u1));
            let mid = (lo + hi) / 2.0;
            if dashed && !dash.on((mid - u0) * sec) {
                continue;
            }
            let centre = v0 + (mid - u0) * slope;
            let (s0, s1) = (centre - half, centre + half);
            let cu = (hi - lo) as f32;
            let js = self.reach(s0, s1, !steep);
            if steep {
                if !js.is_empty() {
                    self.touch(i..i + 1);
                }
            } else {
                self.touch(js.clone());
            }
            for j in js {
                let cov = cu * overlap(j, s0, s1);
                if steep {
                    self.blend(j, i, c, cov);
                } else {
                    self.blend(i, j, c, cov);
                }
            }
        }
    }

    /// The box's outline, `width` pixels wide on its edges, dashed as
    /// [`Pixels::line`].
    pub fn frame(
        &mut self,
        (x0, y0): (f64, f64),
        (x1, y1): (f64, f64),
        width: f64,
        dash: &[f64],
        c: Rgba,
    ) {
        // Far out, a border a tenth of a pixel wide: nothing to see.
        if width < 0.1 {
            return;
        }
        let h = width / 2.0;
        if Dash(dash).period() > 0.0 {
            self.line((x0 - h, y0), (x1 + h, y0), width, dash, c);
            self.line((x0 - h, y1), (x1 + h, y1), width, dash, c);
            self.line((x0, y0 + h), (x0, y1 - h), width, dash, c);
            self.line((x1, y0 + h), (x1, y1 - h), width, dash, c);
            return;
        }
        // Solid: four boxes (a box smaller than its border is one).
        if x1 - x0 <= width || y1 - y0 <= width {
            self.fill_rect((x0 - h, y0 - h), (x1 + h, y1 + h), c);
            return;
        }
        self.fill_rect((x0 - h, y0 - h), (x1 + h, y0 + h), c);
        self.fill_rect((x0 - h, y1 - h), (x1 + h, y1 + h), c);
        self.fill_rect((x0 - h, y0 + h), (x0 + h, y1 - h), c);
        self.fill_rect((x1 - h, y0 + h), (x1 + h, y1 - h), c);
    }

    /// Finishes the pixels of `area` (as [`Pixels::finish`]) and puts them
    /// on `g`'s canvas, at their place: the rest of the canvas stays as it
    /// is (and so must the buffer's rest be finished already).
    pub fn put_area(&mut self, g: &web_sys::CanvasRenderingContext2d, area: &Area) {
        let Some((x, y, out)) = self.finish_area(area) else {
            return;
        };
        let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(&out),
            x.len() as u32,
            y.len() as u32,
        );
        if let Ok(img) = img {
            let _ = g.put_image_data(&img, x.start as f64, y.start as f64);
        }
    }

    /// Finishes the pixels of `area` within the buffer (as
    /// [`Pixels::finish`]): their columns, rows and straight RGBA, row by
    /// row; None when none is in the buffer.
    pub fn finish_area(
        &mut self,
        area: &Area,
    ) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>, Vec<u8>)> {
        let x = area.x.start.min(self.w)..area.x.end.min(self.w);
        let y = area.y.start.min(self.h)..area.y.end.min(self.h);
        if x.is_empty() || y.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(x.len() * y.len() * 4);
        for row in y.clone() {
            let at = row * self.w * 4;
            let part = &mut self.data[at + x.start * 4..at + x.end * 4];
            unpremultiply(part);
            out.extend_from_slice(part);
        }
        Some((x, y, out))
    }

    /// The buffer as straight RGBA, row by row, as `ImageData` takes it.
    pub fn finish(&mut self) -> &[u8] {
        let (r, w) = (self.rows.clone(), self.w);
        unpremultiply(&mut self.data[r.start * w * 4..r.end * w * 4]);
        &self.data
    }

    /// Finishes the buffer and puts its painted rows on `g`'s canvas (as
    /// big as the buffer, and clear), at its top left.
    pub fn put(&mut self, g: &web_sys::CanvasRenderingContext2d) {
        let (r, w) = (self.rows.clone(), self.w);
        if r.is_empty() {
            return;
        }
        let data = &self.finish()[r.start * w * 4..r.end * w * 4];
        let img = web_sys::ImageData::new_with_u8_clamped_array_and_sh(
            wasm_bindgen::Clamped(data),
            w as u32,
            r.len() as u32,
        );
        if let Ok(img) = img {
            let _ = g.put_image_data(&img, 0.0, r.start as f64);
        }
    }

    /// Lays `top` (as big as this) over this with opacity `alpha`, inside
    /// this buffer's clip when it has one.
    pub fn lay(&mut self, top: &Pixels, alpha: f32) {
        if top.data.len() != self.data.len() {
            return;
        }
        let mut r = top.rows();
        let mut cols = 0..self.w;
        if let Some(c) = &self.clip {
            let lo = r.start.max(c.y.start);
            r = lo..r.end.min(c.y.end).max(lo);
            cols = c.x.start.min(self.w)..c.x.end.min(self.w).max(c.x.start.min(self.w));
        }
        self.touch(r.clone());
        let w = self.w;
        for y in r {
            let at = y * w * 4;
            let (a, b) = (at + cols.start * 4, at + cols.end * 4);
            self.lay_row(&top.data[a..b], a, alpha);
        }
    }

    /// Blends `top`'s pixels (premultiplied, as painted) over this
    /// buffer's from byte `at`, with opacity `alpha` ([`Pixels::lay`]).
    fn lay_row(&mut self, top: &[u8], at: usize, alpha: f32) {
        let b = at + top.len();
        for (d, s) in self.data[at..b]
            .chunks_exact_mut(4)
            .zip(top.chunks_exact(4))
        {
            if s[3] == 0 {
                continue;
            }
            let f = |v: u8| v as f32 / 255.0;
            let c = Rgba([
                f(s[0]) * alpha,
                f(s[1]) * alpha,
                f(s[2]) * alpha,
                f(s[3]) * alpha,
            ]);
            blend_into(d, c, 1.0);
        }
    }

    /// Pixel (`x`, `y`) as premultiplied RGBA (before [`Pixels::finish`]);
    /// None outside the buffer.
    pub fn at(&self, x: usize, y: usize) -> Option<[u8; 4]> {
        if x >= self.w || y >= self.h {
            return None;
        }
        let i = (y * self.w + x) * 4;
        self.data.get(i..i + 4).map(|p| [p[0], p[1], p[2], p[3]])
    }
}

/// Premultiplied RGBA pixels `d` made straight, as `ImageData` takes them.
fn unpremultiply(d: &mut [u8]) {
    for p in d.chunks_exact_mut(4) {
        let a = p[3];
        if a != 0 && a != 255 {
            for v in &mut p[..3] {
                *v = ((*v as u32 * 255 + a as u32 / 2) / a as u32).min(255) as u8;
            }
        }
    }
}

/// Blends `c` over premultiplied pixel `d`, which it covers `cov` (0..=1) of.
fn blend_into(d: &mut [u8], c: Rgba, cov: f32) {
    let cov = cov.min(1.0);
    let keep = 1.0 - c.0[3] * cov;
    for (d, s) in d.iter_mut().zip(c.0) {
        *d = (s * cov * 255.0 + *d as f32 * keep + 0.5).min(255.0) as u8;
    }
}

/// The pixels (within `0..len`) that `[a, b)` touches.
fn span(a: f64, b: f64, len: usize) -> std::ops::Range<usize> {
    let lo = a.floor().max(0.0).min(len as f64) as usize;
    let hi = b.ceil().max(0.0).min(len as f64) as usize;
    lo..hi.max(lo)
}

/// How much of pixel `i` (from `i` to `i + 1`) lies in `[a, b)`.
fn overlap(i: usize, a: f64, b: f64) -> f32 {
    let i = i as f64;
    (b.min(i + 1.0) - a.max(i)).clamp(0.0, 1.0) as f32
}

/// A dash pattern: on and off lengths in turn, repeated (an odd count
/// twice, as SVG does).
struct Dash<'a>(&'a [f64]);

impl Dash<'_> {
    /// The length after which the pattern repeats; 0 (or NaN) for a
    /// solid line.
    fn period(&self) -> f64 {
        let sum: f64 = self.0.iter().map(|v| v.max(0.0)).sum();
        if self.0.len() % 2 == 1 {
            2.0 * sum
        } else {
            sum
        }
    }

    /// Whether the line is drawn at distance `s` from its start.
    fn on(&self, s: f64) -> bool {
        let period = self.period();
        if period.is_nan() || period <= 0.0 {
            return true;
        }
        // (Not `rem_euclid`: its `fmod` brings 2 KB of 128-bit division.)
        let mut p = s - (s / period).floor() * period;
        for (i, m) in self.0.iter().chain(self.0).enumerate() {
            if p < m.max(0.0) {
                return i % 2 == 0;
            }
            p -= m.max(0.0);
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn an_opaque_box_paints_what_the_blend_of_each_pixel_gives() {
        // Over a half-covered background, boxes with fractional edges (an
        // opaque and a translucent one, and one in a clip).
        let paint = |px: &mut Pixels| {
            px.clear(16, 12);
            px.fill_rect((0.0, 0.0), (16.0, 12.0), Rgba::new([10, 200, 30, 255], 0.5));
            px.fill_rect((1.3, 2.6), (9.7, 10.2), Rgba::new([200, 40, 90, 255], 1.0));
            px.fill_rect((6.5, 0.5), (14.25, 5.75), Rgba::new([0, 0, 250, 200], 1.0));
            px.clip(
                Some(Area {
                    x: 10..13,
                    y: 6..12,
                }),
                false,
            );
            px.fill_rect((8.0, 5.2), (15.9, 11.5), Rgba::new([90, 90, 90, 255], 1.0));
        };
        let mut px = Pixels::default();
        paint(&mut px);
        // The same, each pixel through the blend.
        let mut want = vec![0u8; 16 * 12 * 4];
        let mut each =
            |(x0, y0): (f64, f64), (x1, y1): (f64, f64), c: Rgba, clip: Option<&Area>| {
                for y in 0..12 {
                    for x in 0..16 {
                        if clip.is_some_and(|a| !a.x.contains(&x) || !a.y.contains(&y)) {
                            continue;
                        }
                        let cov = overlap(y, y0, y1) * overlap(x, x0, x1);
                        if cov > 0.0 {
                            blend_into(&mut want[(y * 16 + x) * 4..][..4], c, cov);
                        }
                    }
                }
            };
        each(
            (0.0, 0.0),
            (16.0, 12.0),
            Rgba::new([10, 200, 30, 255], 0.5),
            None,
        );
        each(
            (1.3, 2.6),
            (9.7, 10.2),
            Rgba::new([200, 40, 90, 255], 1.0),
            None,
        );
        each(
            (6.5, 0.5),
            (14.25, 5.75),
            Rgba::new([0, 0, 250, 200], 1.0),
            None,
        );
        let clip = Area {
            x: 10..13,
            y: 6..12,
        };
        each(
            (8.0, 5.2),
            (15.9, 11.5),
            Rgba::new([90, 90, 90, 255], 1.0),
            Some(&clip),
        );
        assert_eq!(px.data, want);
        // And the opaque box's inside is its colour.
        assert_eq!(px.data[(5 * 16 + 4) * 4..][..4], [200, 40, 90, 255]);
    }
}

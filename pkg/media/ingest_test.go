package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/folio-cms/folio/pkg/errs"
)

// ingest runs Ingest on b in a fresh directory and checks that a refusal
// leaves no temporary file behind.
func ingest(t *testing.T, b []byte, lim Limits) (Upload, error) {
	t.Helper()
	dir := t.TempDir()
	up, err := Ingest(context.Background(), bytes.NewReader(b), dir, lim)
	left, _ := os.ReadDir(dir)
	switch {
	case err != nil && len(left) != 0:
		t.Errorf("error %v left %d file(s) in the temp dir", err, len(left))
	case err == nil && len(left) != 1:
		t.Errorf("success left %d file(s) in the temp dir, want 1", len(left))
	}
	return up, err
}

func TestIngestAccepts(t *testing.T) {
	jpg := encodeJPEG(t, photo(640, 480))
	tests := []struct {
		name      string
		data      []byte
		mime, ext string
		kind      string
		w, h      int
	}{
		{"jpeg", jpg, "image/jpeg", "jpg", TypeImage, 640, 480},
		{"jpeg with exif and gps", exifJPEG(t, photo(64, 48), 1), "image/jpeg", "jpg", TypeImage, 64, 48},
		{"jpeg turned by exif", exifJPEG(t, photo(64, 48), 6), "image/jpeg", "jpg", TypeImage, 48, 64},
		{"png", encodePNG(t, photo(33, 21)), "image/png", "png", TypeImage, 33, 21},
		{"gif", encodeGIF(t, 20, 10, 1), "image/gif", "gif", TypeImage, 20, 10},
		{"animated gif", encodeGIF(t, 20, 10, 8), "image/gif", "gif", TypeImage, 20, 10},
		{"webp lossy", webpLossy, "image/webp", "webp", TypeImage, 1, 1},
		{"webp lossless", webpLossless, "image/webp", "webp", TypeImage, 1, 1},
		{"webp with alpha", webpAlpha, "image/webp", "webp", TypeImage, 1, 1},
		{"webp generated", solidWebP(700, 300, color.NRGBA{200, 10, 10, 255}), "image/webp", "webp", TypeImage, 700, 300},
		{"pdf", pdfDoc(""), "application/pdf", "pdf", TypeDocument, 0, 0},
		{"pdf with open action that is not js", pdfDoc("/OpenAction [3 0 R /Fit] "), "application/pdf", "pdf", TypeDocument, 0, 0},
		{"pdf with links and compressed content",
			pdfDoc("", pdfStream("", []byte("BT /F1 12 Tf 72 712 Td (Hello) Tj ET"), true), "<< /S /URI /URI (https://example.org/) >>"),
			"application/pdf", "pdf", TypeDocument, 0, 0},
		{"pdf with an object stream", pdfDoc("", objStm("<< /Type /Metadata >>")), "application/pdf", "pdf", TypeDocument, 0, 0},
		{"pdf with random binary streams", pdfDoc("", pdfStream("/Type /XObject /Subtype /Image", randomBytes(1<<20, 7), false),
			pdfStream("/Type /XObject /Subtype /Image", randomBytes(1<<20, 8), true)), "application/pdf", "pdf", TypeDocument, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := ingest(t, tt.data, Limits{})
			if err != nil {
				t.Fatalf("Ingest: %v", err)
			}
			sum := sha256.Sum256(tt.data)
			want := Upload{
				SHA256: hex.EncodeToString(sum[:]), Size: int64(len(tt.data)),
				MIME: tt.mime, Ext: tt.ext, Type: tt.kind, Width: tt.w, Height: tt.h,
				TempPath: up.TempPath,
			}
			if up != want {
				t.Errorf("got  %+v\nwant %+v", up, want)
			}
			if got, err := os.ReadFile(up.TempPath); err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("temp file differs from the upload (err %v)", err)
			}
		})
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestIngestRefuses(t *testing.T) {
	jpg := encodeJPEG(t, photo(64, 48))
	png := encodePNG(t, photo(64, 48))
	gifData := encodeGIF(t, 16, 16, 1)
	zipTail := func() []byte { // a one-entry stored ZIP, as a JAR would be
		name := "a.class"
		lh := append([]byte("PK\x03\x04"), make([]byte, 26)...)
		lh[26] = byte(len(name))
		lh = append(lh, name...)
		cd := append([]byte("PK\x01\x02"), make([]byte, 42)...)
		cd[28] = byte(len(name))
		cd = append(cd, name...)
		end := append([]byte("PK\x05\x06"), make([]byte, 18)...)
		end[8], end[10] = 1, 1
		end[12] = byte(len(cd))
		end[16] = byte(len(lh))
		return append(append(lh, cd...), end...)
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	truncated := png[:len(png)/2]

	tests := []struct {
		name string
		data []byte
		lim  Limits
		kind errs.Kind
		msg  string // part of the message
	}{
		{"empty", nil, Limits{}, errs.Invalid, "empty"},
		{"exe named jpg", cat([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 100)), Limits{}, errs.UnsupportedMedia, "Windows program"},
		{"elf", cat([]byte("\x7fELF\x02\x01\x01"), make([]byte, 100)), Limits{}, errs.UnsupportedMedia, "Linux program"},
		{"mach-o", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), Limits{}, errs.UnsupportedMedia, "macOS"},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), Limits{}, errs.UnsupportedMedia, "script"},
		{"svg with script", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), Limits{}, errs.UnsupportedMedia, "<script> element"},
		{"svg without its namespace", []byte("\xef\xbb\xbf  <svg viewBox='0 0 1 1'/>"), Limits{}, errs.UnsupportedMedia, "root element"},
		{"html", []byte("<!DOCTYPE html><html><body>hi</body></html>"), Limits{}, errs.UnsupportedMedia, "web page"},
		{"xml", []byte(`<?xml version="1.0"?><note/>`), Limits{}, errs.UnsupportedMedia, "XML"},
		{"zip", zipTail(), Limits{}, errs.UnsupportedMedia, "ZIP"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), Limits{}, errs.UnsupportedMedia, "HEIC"},
		{"text", []byte("hello world"), Limits{}, errs.UnsupportedMedia, "not recognised"},
		{"png claiming 60000x60000", hugePNG(60000, 60000), Limits{}, errs.Validation, "60000 × 60000"},
		{"gif with too many frames", encodeGIF(t, 50, 50, 5), Limits{MaxPixels: 10000}, errs.Validation, "5 frames"},
		{"animated webp", webpAnimated, Limits{}, errs.UnsupportedMedia, "Animated WebP"},
		{"png of width 0", hugePNG(0, 10), Limits{}, errs.UnsupportedMedia, ""},
		{"truncated png", truncated, Limits{}, errs.UnsupportedMedia, "damaged"},
		{"jpeg header only", jpg[:200], Limits{}, errs.UnsupportedMedia, "damaged"},
		{"gifar", cat(gifData, zipTail()), Limits{}, errs.UnsupportedMedia, "ZIP archive"},
		{"png with zip and junk after it", cat(png, zipTail(), []byte("junk")), Limits{}, errs.UnsupportedMedia, "ZIP archive"},
		{"jpeg with html appended", cat(jpg, []byte("<html><script>alert(document.cookie)</script></html>")), Limits{}, errs.UnsupportedMedia, "web page or script"},
		{"jpeg with SCRIPT in a comment", withAPP1(jpg, []byte("x<SCRIPT>alert(1)</SCRIPT>")), Limits{}, errs.UnsupportedMedia, "<script"},
		{"jpeg with php", withAPP1(jpg, []byte("<?php system($_GET['c']); ?>")), Limits{}, errs.UnsupportedMedia, "PHP"},
		{"gif with svg", cat(gifData, []byte("<svg onload=alert(1)>")), Limits{}, errs.UnsupportedMedia, "SVG"},
		{"png with pdf inside", withPNGText(png, "%PDF-1.4 1 0 obj"), Limits{}, errs.UnsupportedMedia, "PDF document"},
		{"pdf with html", cat(pdfDoc(""), []byte("<html><script>x</script>")), Limits{}, errs.UnsupportedMedia, "web page"},
		{"pdf without end marker", bytes.TrimSuffix(pdfDoc(""), []byte("%%EOF\n")), Limits{}, errs.UnsupportedMedia, "end marker"},
		{"pdf with bad header", []byte("%PDF-x\n%%EOF"), Limits{}, errs.UnsupportedMedia, "header"},
		{"pdf with javascript", pdfDoc("/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf with bare /JS", pdfDoc("", "<< /JS 5 0 R >>"), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf with escaped name", pdfDoc("/OpenAction << /S /J#61va#53cript /JS (x) >> "), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf with js in object stream", pdfDoc("", objStm("<< /S /JavaScript /JS (app.alert(1)) >>")), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf with /JS in object stream", pdfDoc("", objStm("<< /JS (app.alert(1)) >>")), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf hiding js behind a fake stream", pdfDoc("", "<< >>\n%stream\n", objStm("<< /S /JavaScript /JS (x) >>"), "<< >> % endstream"), Limits{}, errs.UnsupportedMedia, "JavaScript"},
		{"pdf with launch", pdfDoc("/OpenAction << /S /Launch /F (calc.exe) >> "), Limits{}, errs.UnsupportedMedia, "launch"},
		{"pdf with attachment", pdfDoc("/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> "), Limits{}, errs.UnsupportedMedia, "embedded files"},
		{"pdf with xfa", pdfDoc("/AcroForm << /XFA 5 0 R >> "), Limits{}, errs.UnsupportedMedia, "XFA"},
		{"encrypted pdf", bytes.Replace(pdfDoc(""), []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt 9 0 R"), 1), Limits{}, errs.UnsupportedMedia, "encrypted"},
		{"pdf with object streams in hex", pdfDoc("", objStm("<< >>"), pdfStream("/Filter /ASCIIHexDecode", []byte("41>"), false)), Limits{}, errs.UnsupportedMedia, "cannot check"},
		{"pdf inflating past the budget", pdfDoc("", pdfStream("", make([]byte, pdfInflateBudget+1), true)), Limits{MaxBytes: 4 << 20}, errs.UnsupportedMedia, "too much data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ingest(t, tt.data, tt.lim)
			kind, msg := refusal(err)
			if kind != tt.kind || !strings.Contains(msg, tt.msg) {
				t.Errorf("got %v %q (%v), want %v containing %q", kind, msg, err, tt.kind, tt.msg)
			}
		})
	}
}

// refusal returns the kind of a refused upload's error and what it tells
// the uploader (for a Validation, its detail about the file); Internal for
// an error that is no refusal.
func refusal(err error) (errs.Kind, string) {
	var e *errs.Error
	if !errors.As(err, &e) {
		return errs.Internal, ""
	}
	if e.Kind == errs.Validation && len(e.Details) == 1 && e.Details[0].Field == "file" {
		return e.Kind, e.Details[0].Message
	}
	return e.Kind, e.Message
}

func isRefusal(err error) bool { k, _ := refusal(err); return k != errs.Internal }

// withPNGText adds a tEXt chunk right after the IHDR chunk of a PNG.
func withPNGText(p []byte, text string) []byte {
	const afterIHDR = 8 + 25
	out := append([]byte{}, p[:afterIHDR]...)
	out = append(out, pngChunk("tEXt", append([]byte("Comment\x00"), text...))...)
	return append(out, p[afterIHDR:]...)
}

// TestIngestNoFalsePositives feeds photos full of random bytes (which contain
// "PK", "<" and the like by chance) and expects them all accepted.
func TestIngestNoFalsePositives(t *testing.T) {
	for seed := range uint64(20) {
		m := image.NewRGBA(image.Rect(0, 0, 256, 256))
		copy(m.Pix, randomBytes(len(m.Pix), seed))
		for _, data := range [][]byte{encodeJPEG(t, m), encodePNG(t, m)} {
			if _, err := ingest(t, data, Limits{}); err != nil {
				t.Errorf("seed %d: %v", seed, err)
			}
		}
	}
	// A PDF header that is not a header, and a ZIP end record whose central
	// directory is not there.
	p := withPNGText(encodePNG(t, photo(8, 8)), "%PDF-x PK\x05\x06"+strings.Repeat("\x00", 18))
	if _, err := ingest(t, p, Limits{}); err != nil {
		t.Errorf("lookalike signatures: %v", err)
	}
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestIngestSizeLimit(t *testing.T) {
	data := encodePNG(t, photo(40, 30))
	size := int64(len(data))
	tests := []struct {
		name    string
		r       io.Reader
		max     int64
		wantErr bool
	}{
		{"exactly the limit", bytes.NewReader(data), size, false},
		{"one byte over", bytes.NewReader(data), size - 1, true},
		{"endless body", io.MultiReader(bytes.NewReader(data), zeros{}), size + 100, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			cr := &countingReader{r: tt.r}
			up, err := Ingest(context.Background(), cr, dir, Limits{MaxBytes: tt.max})
			if tt.wantErr {
				if kind, _ := refusal(err); kind != errs.TooLarge {
					t.Fatalf("got %v, want TooLarge", err)
				}
				if left, _ := os.ReadDir(dir); len(left) != 0 {
					t.Errorf("left %d file(s)", len(left))
				}
			} else if err != nil || up.Size != size {
				t.Fatalf("got %+v, %v", up, err)
			}
			if cr.n > tt.max+1 {
				t.Errorf("read %d bytes, more than MaxBytes+1 = %d", cr.n, tt.max+1)
			}
		})
	}
}

func TestIngestHugeHeaderStaysSmall(t *testing.T) {
	data := hugePNG(60000, 60000)
	dir := t.TempDir()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := Ingest(context.Background(), bytes.NewReader(data), dir, Limits{})
	runtime.ReadMemStats(&after)
	if kind, _ := refusal(err); kind != errs.Validation {
		t.Fatalf("got %v, want too many pixels", err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	if alloc > 1<<20 {
		t.Errorf("allocated %d bytes refusing a 60000×60000 header", alloc)
	}
	allocs := testing.AllocsPerRun(5, func() {
		Ingest(context.Background(), bytes.NewReader(data), dir, Limits{})
	})
	if allocs > 100 {
		t.Errorf("%v allocations per refusal", allocs)
	}
	t.Logf("refusing a 60000×60000 PNG header: %d bytes in %v allocations", alloc, allocs)
}

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection reset")
	}
	n := min(len(p), f.n)
	clear(p[:n])
	f.n -= n
	return n, nil
}

func TestIngestCleansUpOnReadErrorAndCancel(t *testing.T) {
	dir := t.TempDir()
	if _, err := Ingest(context.Background(), &failingReader{n: 100 << 10}, dir, Limits{}); err == nil || isRefusal(err) {
		t.Errorf("failing reader: got %v, want an unclassified error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Ingest(ctx, bytes.NewReader(encodePNG(t, photo(8, 8))), dir, Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left %d file(s)", len(left))
	}
}

// FuzzIngest checks that no input makes Ingest panic or fail without saying
// why, and that it accepts only what MakeVariants can handle.
func FuzzIngest(f *testing.F) {
	f.Add(exifJPEG(f, photo(16, 8), 6))
	f.Add(encodePNG(f, photo(8, 8)))
	f.Add(encodeGIF(f, 8, 8, 3))
	f.Add(webpLossless)
	f.Add(pdfDoc("", objStm("<< /Type /Metadata >>")))
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		up, err := Ingest(context.Background(), bytes.NewReader(data), dir, Limits{MaxPixels: 1 << 20})
		if err != nil {
			if kind, _ := refusal(err); kind == errs.Internal {
				t.Fatalf("unclassified refusal: %v", err)
			}
			return
		}
		if _, err := MakeVariants(context.Background(), up, dir); err != nil {
			t.Fatalf("accepted but MakeVariants failed: %v", err)
		}
	})
}

package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"golang.org/x/image/webp"

	"github.com/folio-cms/folio/pkg/errs"
)

// The values of Upload.Type: what a file is to the people who use it.
const (
	TypeImage    = "image"
	TypeDocument = "document"
)

// Default limits, used for the zero fields of a Limits.
const (
	DefaultMaxBytes  = 10 << 20
	DefaultMaxPixels = 50_000_000
)

// Limits bounds what Ingest accepts. A zero field takes its default.
type Limits struct {
	MaxBytes  int64 // largest accepted file, in bytes
	MaxPixels int64 // largest accepted image, width × height (all frames of a GIF together)
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l
}

// Upload describes an accepted file, waiting in a temporary file.
type Upload struct {
	SHA256 string // lowercase hex digest of the bytes
	Size   int64  // bytes
	MIME   string // "image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml" or "application/pdf"
	Ext    string // "jpg", "png", "gif", "webp", "svg" or "pdf"
	Type   string // TypeImage or TypeDocument
	// Width and Height are an image's size as displayed, that is after its
	// EXIF orientation; 0 for a PDF.
	Width, Height int
	// TempPath is the closed temporary file holding the bytes. The caller
	// owns it: store it (e.g. under OriginalKey) and remove it.
	TempPath string
}

// headLen and tailLen are how much of the start and the end of a file the
// polyglot checks look at. tailLen covers the largest ZIP end record.
const (
	headLen = 64 << 10
	tailLen = 64<<10 + 22
)

// Ingest streams r into a new temporary file in tmpDir while hashing it, and
// accepts it only if its bytes are a well-formed JPEG, PNG, GIF, WebP or PDF
// within lim and pass the checks in the package documentation. It reads at
// most lim.MaxBytes+1 bytes from r. A refusal is an *errs.Error (see refuse); on any error the
// temporary file is removed.
func Ingest(ctx context.Context, r io.Reader, tmpDir string, lim Limits) (up Upload, err error) {
	lim = lim.withDefaults()
	f, err := os.CreateTemp(tmpDir, "folio-upload-*")
	if err != nil {
		return Upload{}, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			up = Upload{}
		}
	}()

	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), io.LimitReader(ctxReader{ctx, r}, lim.MaxBytes+1))
	if err != nil {
		return Upload{}, err
	}
	switch {
	case n > lim.MaxBytes:
		return Upload{}, refuse(errs.TooLarge, fmt.Sprintf("The file is larger than the limit of %s.", formatMB(lim.MaxBytes)), nil)
	case n == 0:
		return Upload{}, refuse(errs.Invalid, "The file is empty.", nil)
	}

	fm, w, ht, err := inspect(ctx, f, n, lim)
	if err != nil {
		return Upload{}, err
	}
	return Upload{
		SHA256:   hex.EncodeToString(h.Sum(nil)),
		Size:     n,
		MIME:     fm.mime,
		Ext:      fm.ext,
		Type:     fm.typ,
		Width:    w,
		Height:   ht,
		TempPath: f.Name(),
	}, nil
}

// inspect decides the type of the size bytes in f and checks them.
func inspect(ctx context.Context, f *os.File, size int64, lim Limits) (fm format, w, h int, err error) {
	head := make([]byte, min(size, headLen))
	if _, err := f.ReadAt(head, 0); err != nil {
		return fm, 0, 0, err
	}
	tail := make([]byte, min(size, tailLen))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return fm, 0, 0, err
	}
	fm, rerr := sniff(head)
	if rerr != nil {
		return fm, 0, 0, rerr
	}
	if fm == fmtSVG {
		// Markup through and through: the XML parse decides, and only a
		// ZIP archive at its end is looked for besides.
		if hasZipEnd(f, size, tail) {
			return fm, 0, 0, refuse(errs.UnsupportedMedia, "The file is an SVG but also contains a ZIP archive at its end, a trick used to smuggle code in files, so it is not accepted.", nil)
		}
		data := make([]byte, size)
		if _, err := f.ReadAt(data, 0); err != nil {
			return fm, 0, 0, err
		}
		w, h, rerr := checkSVG(data)
		if rerr != nil {
			return fm, 0, 0, rerr
		}
		return fm, w, h, nil
	}
	if rerr := checkPolyglot(fm, f, size, head, tail); rerr != nil {
		return fm, 0, 0, rerr
	}
	if err := ctx.Err(); err != nil {
		return fm, 0, 0, err
	}
	if fm == fmtPDF {
		data := make([]byte, size)
		if _, err := f.ReadAt(data, 0); err != nil {
			return fm, 0, 0, err
		}
		if rerr := checkPDF(data); rerr != nil {
			return fm, 0, 0, rerr
		}
		return fm, 0, 0, nil
	}
	if fm == fmtWebP && len(head) > 20 && string(head[12:16]) == "VP8X" && head[20]&0x02 != 0 {
		return fm, 0, 0, refuse(errs.UnsupportedMedia, "Animated WebP images are not accepted. Upload an animated GIF or a still image.", nil)
	}
	w, h, rerr = checkImage(fm, io.NewSectionReader(f, 0, size), lim)
	if rerr != nil {
		return fm, 0, 0, rerr
	}
	return fm, w, h, nil
}

// checkPolyglot refuses a file that is also readable as another, dangerous
// type. See the package documentation.
func checkPolyglot(fm format, f io.ReaderAt, size int64, head, tail []byte) *errs.Error {
	also := func(what string) *errs.Error {
		return refuse(errs.UnsupportedMedia, fmt.Sprintf(
			"The file is a %s but also contains %s, a trick used to smuggle code in files, so it is not accepted. Open it in an image or PDF editor and save a fresh copy.",
			fm.name, what), nil)
	}
	for _, b := range [][]byte{head, tail} {
		switch tag := findMarkup(b); tag {
		case "":
		case "<?php":
			return also("PHP code")
		case "<svg":
			return also("SVG markup")
		default:
			return also("a web page or script (" + tag + ")")
		}
	}
	if fm != fmtPDF && hasPDFHeader(head) {
		return also("a PDF document")
	}
	if hasZipEnd(f, size, tail) {
		return also("a ZIP archive (such as a Java program) at its end")
	}
	return nil
}

// checkImage reads an image's size from its header, refuses it if too big,
// and only then decodes it fully to prove it is well formed. It returns the
// displayed size.
func checkImage(fm format, r *io.SectionReader, lim Limits) (w, h int, rerr *errs.Error) {
	var (
		decodeConfig func(io.Reader) (image.Config, error)
		decode       func(io.Reader) (image.Image, error)
	)
	switch fm {
	case fmtJPEG:
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case fmtPNG:
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case fmtGIF:
		decodeConfig, decode = gif.DecodeConfig, gif.Decode
	case fmtWebP:
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	}
	damaged := func(err error) *errs.Error {
		return refuse(errs.UnsupportedMedia, fmt.Sprintf("The file starts like a %s image but is damaged and cannot be read. %s", fm.name, accepted), err)
	}
	cfg, err := decodeConfig(r)
	if err != nil {
		return 0, 0, damaged(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, 0, refuse(errs.UnsupportedMedia, "The image has no pixels (its width or height is 0).", nil)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return 0, 0, refuse(errs.Validation, fmt.Sprintf(
			"The image is %d × %d pixels (%s megapixels); the limit is %s megapixels. Scale it down and upload it again.",
			cfg.Width, cfg.Height, megapixels(px), megapixels(lim.MaxPixels)), nil)
	}
	if fm == fmtGIF {
		frames, px, err := gifFrames(io.NewSectionReader(r, 0, r.Size()))
		if err != nil {
			return 0, 0, damaged(err)
		}
		if px > lim.MaxPixels {
			return 0, 0, refuse(errs.Validation, fmt.Sprintf(
				"The animated GIF has %d frames, %s megapixels in all; the limit is %s megapixels. Shorten or shrink it.",
				frames, megapixels(px), megapixels(lim.MaxPixels)), nil)
		}
	}
	if _, err := decode(io.NewSectionReader(r, 0, r.Size())); err != nil {
		return 0, 0, damaged(err)
	}
	w, h = cfg.Width, cfg.Height
	if fm == fmtJPEG && jpegOrientation(io.NewSectionReader(r, 0, r.Size())) >= 5 {
		w, h = h, w
	}
	return w, h, nil
}

func formatMB(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

func megapixels(px int64) string {
	return fmt.Sprintf("%.1f", float64(px)/1e6)
}

package media

import (
	"bytes"
	"encoding/binary"
	"io"

	"github.com/folio-cms/folio/pkg/errs"
)

// format is an accepted file type.
type format struct {
	name, mime, ext, typ string
}

var (
	fmtJPEG = format{"JPEG", "image/jpeg", "jpg", TypeImage}
	fmtPNG  = format{"PNG", "image/png", "png", TypeImage}
	fmtGIF  = format{"GIF", "image/gif", "gif", TypeImage}
	fmtWebP = format{"WebP", "image/webp", "webp", TypeImage}
	fmtPDF  = format{"PDF", "application/pdf", "pdf", TypeDocument}
	fmtSVG  = format{"SVG", "image/svg+xml", "svg", TypeImage}
)

// sniff decides the type from the first bytes of the file alone.
func sniff(head []byte) (format, *errs.Error) {
	switch {
	case bytes.HasPrefix(head, []byte("\xff\xd8\xff")):
		return fmtJPEG, nil
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return fmtPNG, nil
	case bytes.HasPrefix(head, []byte("GIF87a")), bytes.HasPrefix(head, []byte("GIF89a")):
		return fmtGIF, nil
	case len(head) >= 12 && string(head[:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return fmtWebP, nil
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return fmtPDF, nil
	case looksLikeSVG(head): // then checked in full by checkSVG
		return fmtSVG, nil
	}
	return format{}, refuse(errs.UnsupportedMedia, describeRefused(head)+" "+accepted, nil)
}

// describeRefused names a refused type for the uploader, when it is a common one.
func describeRefused(head []byte) string {
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n\f")
	has := func(prefix string) bool { return bytes.HasPrefix(head, []byte(prefix)) }
	switch {
	case bytes.HasPrefix(text, []byte("<")):
		switch m := findMarkup(text); {
		case m == "<svg":
			return "The file is an SVG image that does not start as one (an <svg> root element); it is not accepted."
		case m != "":
			return "The file is a web page (HTML), which is not accepted."
		}
		return "The file is XML or another markup text, which is not accepted."
	case has("MZ"):
		return "The file is a Windows program, which is not accepted."
	case has("\x7fELF"):
		return "The file is a Linux program, which is not accepted."
	case has("\xfe\xed\xfa\xce"), has("\xfe\xed\xfa\xcf"), has("\xce\xfa\xed\xfe"), has("\xcf\xfa\xed\xfe"), has("\xca\xfe\xba\xbe"):
		return "The file is a macOS or Java program, which is not accepted."
	case has("#!"):
		return "The file is a script, which is not accepted."
	case has("PK\x03\x04"), has("PK\x05\x06"):
		return "The file is a ZIP archive or an Office document, which is not accepted."
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		switch string(head[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1", "avif", "avis":
			return "The file is a HEIC or AVIF photo, which not every browser can show. Export it as JPEG first."
		}
		return "The file is a video or another media container, which is not accepted."
	case has("II*\x00"), has("MM\x00*"):
		return "The file is a TIFF image, which browsers cannot show."
	case has("BM"):
		return "The file is a BMP image, which is not accepted."
	}
	return "The file type is not recognised."
}

// markupTags are the openings of markup that a browser, a PHP interpreter or
// an SVG renderer would act on. Each must be followed by a delimiter (see
// findMarkup), which keeps random compressed bytes from matching.
var markupTags = []string{
	"<!doctype html", "<html", "<head", "<body", "<script", "<svg",
	"<iframe", "<object", "<embed", "<?php",
}

// findMarkup returns the first markup tag found in b, matched without regard
// to case and followed by whitespace, '>' or '/' (or the end of b), or "".
func findMarkup(b []byte) string {
	for i := bytes.IndexByte(b, '<'); i >= 0; {
		rest := b[i:]
		for _, tag := range markupTags {
			if len(rest) < len(tag) || !bytes.EqualFold(rest[:len(tag)], []byte(tag)) {
				continue
			}
			if len(rest) == len(tag) {
				return tag
			}
			switch rest[len(tag)] {
			case ' ', '\t', '\n', '\r', '\f', '>', '/':
				return tag
			}
		}
		j := bytes.IndexByte(b[i+1:], '<')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return ""
}

// hasPDFHeader reports whether b contains a PDF header ("%PDF-" and a digit).
// Acrobat accepts one anywhere in the first 1024 bytes of a file.
func hasPDFHeader(b []byte) bool {
	for {
		i := bytes.Index(b, []byte("%PDF-"))
		if i < 0 || i+5 >= len(b) {
			return false
		}
		if c := b[i+5]; c >= '0' && c <= '9' {
			return true
		}
		b = b[i+5:]
	}
}

// hasZipEnd reports whether the file ends with a readable ZIP archive: an
// end-of-central-directory record in tail (the last bytes of the file) whose
// comment length fits, and whose central directory, found where ZIP readers
// (Java, Info-ZIP, Python) look for it, really starts with a central
// directory header. Both signatures must line up, so random bytes in a
// photo's compressed data practically never match.
func hasZipEnd(r io.ReaderAt, size int64, tail []byte) bool {
	const recLen = 22
	tailStart := size - int64(len(tail))
	sig := []byte("PK\x05\x06")
	for i := bytes.LastIndex(tail, sig); i >= 0; i = bytes.LastIndex(tail[:i], sig) {
		if len(tail)-i < recLen {
			continue
		}
		rec := tail[i : i+recLen]
		if i+recLen+int(binary.LittleEndian.Uint16(rec[20:])) > len(tail) {
			continue
		}
		end := tailStart + int64(i)
		cdSize := int64(binary.LittleEndian.Uint32(rec[12:]))
		var got [4]byte
		if cdSize == 0xffffffff { // ZIP64: look for its locator instead
			if end >= 20 {
				if _, err := r.ReadAt(got[:], end-20); err == nil && string(got[:]) == "PK\x06\x07" {
					return true
				}
			}
			continue
		}
		if cdSize == 0 || cdSize > end {
			continue
		}
		if _, err := r.ReadAt(got[:], end-cdSize); err == nil && string(got[:]) == "PK\x01\x02" {
			return true
		}
	}
	return false
}

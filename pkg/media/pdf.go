package media

import (
	"bytes"
	"compress/zlib"

	"github.com/folio-cms/folio/pkg/errs"
)

// pdfInflateBudget bounds how many bytes checkPDF decompresses in all.
const pdfInflateBudget = 256 << 20

// pdfRefused maps the PDF names checked everywhere (in the raw file and in
// every Flate stream) to the reason given to the uploader. They are long
// enough that random binary data does not contain them by chance.
var pdfRefused = map[string]string{
	"JavaScript":    "contains JavaScript",
	"Launch":        "can launch programs",
	"EmbeddedFile":  "carries embedded files",
	"EmbeddedFiles": "carries embedded files",
	"RichMedia":     "contains Flash or other rich media",
	"XFA":           "contains an XFA form, which can run scripts",
	"Encrypt":       "is encrypted, so its content cannot be checked",
}

// pdfOpaqueFilters are encodings that checkPDF does not decode. A PDF with
// object streams (where dictionaries may hide) that uses any of them is
// refused, since it could hide names from the scan.
var pdfOpaqueFilters = map[string]bool{
	"ASCIIHexDecode": true, "ASCII85Decode": true, "LZWDecode": true,
	"RunLengthDecode": true, "Crypt": true,
}

// checkPDF validates the structure of a whole PDF file and refuses active
// content. See the package documentation for the rules.
func checkPDF(data []byte) *errs.Error {
	if len(data) < 8 || string(data[:5]) != "%PDF-" || !isDigit(data[5]) || data[6] != '.' || !isDigit(data[7]) {
		return refuse(errs.UnsupportedMedia, "The file starts like a PDF but its header is damaged. "+accepted, nil)
	}
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		return refuse(errs.UnsupportedMedia, "The PDF is incomplete: it has no end marker, so it may have been cut off.", nil)
	}

	var s pdfScan
	s.budget = pdfInflateBudget
	s.names(data, true, false)
	// /JS is short, so random binary data can contain it: look for it only
	// outside stream bodies, where the document's dictionaries are.
	for pos := 0; pos < len(data); {
		k := nextStream(data, pos)
		if k < 0 {
			s.names(data[pos:], true, true)
			break
		}
		s.names(data[pos:k], true, true)
		end := bytes.Index(data[k:], []byte("endstream"))
		if end < 0 {
			break
		}
		pos = k + end + len("endstream")
	}
	// Every stream, found wherever its keyword is (even inside another
	// stream), is inflated and scanned when it is zlib data.
	for k := nextStream(data, 0); k >= 0 && s.reason == ""; k = nextStream(data, k) {
		s.inflate(data[k:])
	}
	switch {
	case s.reason != "":
		return refuse(errs.UnsupportedMedia, "The PDF "+s.reason+", so it is not accepted. Export or print it to a plain PDF and upload that.", nil)
	case s.objStm && s.opaque:
		return refuse(errs.UnsupportedMedia, "The PDF uses compression that Folio cannot check. Export or print it to a plain PDF and upload that.", nil)
	}
	return nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// nextStream returns the offset just after the next "stream" keyword at or
// after pos (not "endstream") and its end of line, or -1.
func nextStream(data []byte, pos int) int {
	for pos < len(data) {
		i := bytes.Index(data[pos:], []byte("stream"))
		if i < 0 {
			return -1
		}
		i += pos
		pos = i + len("stream")
		if i >= 3 && string(data[i-3:i]) == "end" {
			continue
		}
		j := pos
		for j < len(data) && j < pos+2 && (data[j] == '\r' || data[j] == '\n') {
			j++
		}
		if j > pos {
			return j
		}
	}
	return -1
}

// pdfScan collects what the scan found.
type pdfScan struct {
	reason string // why the PDF is refused; "" while nothing was found
	objStm bool   // the file has object streams
	opaque bool   // the file uses a filter from pdfOpaqueFilters
	budget int64  // bytes still allowed to inflate
	buf    []byte // inflate's buffer, shared by all streams
}

// names looks at every PDF name in b. final says that b ends at a real end
// (a name running into the end of b is complete); withJS also refuses /JS.
func (s *pdfScan) names(b []byte, final, withJS bool) {
	var buf [48]byte
	for i := 0; i < len(b); i++ {
		if b[i] != '/' {
			continue
		}
		j := i + 1
		for j < len(b) && isPDFRegular(b[j]) {
			j++
		}
		if j == len(b) && !final {
			return
		}
		raw := b[i+1 : j]
		i = j - 1
		if len(raw) > len(buf) {
			continue
		}
		name := decodePDFName(buf[:0], raw)
		if r, ok := pdfRefused[string(name)]; ok && s.reason == "" {
			s.reason = r
		}
		switch {
		case withJS && string(name) == "JS" && s.reason == "":
			s.reason = "contains JavaScript"
		case string(name) == "ObjStm":
			s.objStm = true
		case pdfOpaqueFilters[string(name)]:
			s.opaque = true
		}
	}
}

// inflate decompresses the zlib stream at the start of b (after skipping
// blanks) within the budget, scanning the output as it goes.
func (s *pdfScan) inflate(b []byte) {
	head := b[:min(len(b), 8)]
	b = b[len(head)-len(bytes.TrimLeft(head, " \t\r\n")):]
	if len(b) < 2 || b[0]&0x0f != 8 || b[0]>>4 > 7 || (uint16(b[0])<<8|uint16(b[1]))%31 != 0 {
		return
	}
	zr, err := zlib.NewReader(bytes.NewReader(b))
	if err != nil {
		return
	}
	defer zr.Close()
	// Object streams begin with "number offset" pairs: only those may hold
	// dictionaries, so only there does a bare /JS count.
	const keep = 64
	if s.buf == nil {
		s.buf = make([]byte, 64<<10)
	}
	buf := s.buf
	n, first, withJS := 0, true, false
	for s.reason == "" {
		m, err := zr.Read(buf[n:])
		n += m
		s.budget -= int64(m)
		if s.budget < 0 {
			s.reason = "expands to too much data to check"
			return
		}
		if first && n > 0 {
			t := bytes.TrimLeft(buf[:n], " \t\r\n")
			if len(t) > 0 {
				withJS, first = isDigit(t[0]), false
			}
		}
		done := err != nil
		if n == len(buf) || done {
			s.names(buf[:n], done, withJS)
			if n > keep && !done {
				n = copy(buf, buf[n-keep:n])
			}
		}
		if done {
			// A damaged stream has been scanned as far as it decodes,
			// which is as far as a reader gets too.
			return
		}
	}
}

// isPDFRegular reports whether c can be part of a PDF name (not white space
// and not a delimiter).
func isPDFRegular(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ', '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return false
	}
	return true
}

// decodePDFName appends raw to dst with its #xx escapes decoded.
func decodePDFName(dst, raw []byte) []byte {
	for i := 0; i < len(raw); i++ {
		if raw[i] == '#' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			dst = append(dst, unhex(raw[i+1])<<4|unhex(raw[i+2]))
			i += 2
			continue
		}
		dst = append(dst, raw[i])
	}
	return dst
}

func isHex(c byte) bool {
	return isDigit(c) || 'a' <= c|0x20 && c|0x20 <= 'f'
}

func unhex(c byte) byte {
	if isDigit(c) {
		return c - '0'
	}
	return c | 0x20 - 'a' + 10
}

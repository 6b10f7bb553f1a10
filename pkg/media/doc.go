// Package media does the byte-level work on uploaded files: it accepts or
// refuses an upload (Ingest), makes resized copies of images (MakeVariants)
// and keeps files by key (Storage, Local). It knows nothing of HTTP or of the
// database.
//
// # Flow
//
//	up, err := media.Ingest(ctx, body, tmpDir, media.Limits{})
//	// err: an *errs.Error (400, 413, 415 or 422) for the uploader, or an internal failure
//	defer os.Remove(up.TempPath)
//	store.Put(ctx, media.OriginalKey(up.SHA256, up.Ext), file at up.TempPath)
//	vs, err := media.MakeVariants(ctx, up, tmpDir) // outside any transaction
//	for each v: store.Put(ctx, media.VariantKey(up.SHA256, v.Width, v.Ext), …); os.Remove(v.Path)
//
// Keys are content-addressed, so storing the same file twice is harmless.
//
// # What Ingest accepts
//
// The type is decided from the bytes only, never from a file name or a
// client's Content-Type. Accepted: JPEG (FF D8 FF), PNG, GIF (GIF87a/GIF89a),
// WebP (RIFF…WEBP, still images only) and PDF ("%PDF-" at offset 0).
// Everything else is refused as unsupported media (415), with a message naming the
// common cases: SVG and other XML, HTML, Windows/Linux/macOS programs,
// scripts ("#!"), ZIP and Office files, HEIC/AVIF, TIFF, BMP.
//
// Images: the size is read from the header first and anything over
// Limits.MaxPixels (for a GIF: the sum of all its frames, counted by walking
// the block structure without decoding) is refused (422, on the field "file") before
// any pixel buffer is allocated. A width or height of 0 is refused. Then the
// image is decoded once, with the decoder of the detected format only (not
// the image package's registry), to prove it is well formed; a failure is
// unsupported media. Memory: a full decode needs 3 to 4 bytes per pixel, up to
// about 8 for 16-bit PNGs and 12 for progressive JPEGs (coefficient buffers),
// that is 150-600 MB at the default 50 megapixels: bound the number of
// concurrent Ingest and MakeVariants calls accordingly (a semaphore of 1 or 2).
//
// # Polyglots
//
// A polyglot is a file that is valid as two types, e.g. an image a browser
// would also run as a web page, or a GIF that Java also loads as a JAR
// (GIFAR). Every accepted file, PDFs included, is refused when:
//
//   - its first or last 64 KiB contain markup that a browser, SVG renderer or
//     PHP would act on: <!doctype html, <html, <head, <body, <script, <svg,
//     <iframe, <object, <embed or <?php, in any case, and followed by white
//     space, '>' or '/'. Content sniffing looks at the start of a file and
//     appended payloads sit at its end; requiring the delimiter makes a
//     chance match in compressed data about one in a hundred thousand for
//     the shortest tag (<svg) and far rarer for the others. Image metadata
//     (EXIF, XMP, ICC) does not contain these tags.
//   - it ends with a ZIP archive: an end-of-central-directory record in the
//     last 64 KiB + 22 bytes whose comment length fits, and a central
//     directory header ("PK\x01\x02") exactly where ZIP readers (Java,
//     Info-ZIP, Python) look for it, that is just before the record (or a
//     ZIP64 locator). "PK" bytes at random in a photo do not line up like
//     that; a real appended archive always does, even with junk after it.
//
// Any accepted file other than a PDF is also refused when its first 64 KiB
// contain a PDF header ("%PDF-" and a digit): Acrobat accepts a header
// anywhere in the first 1024 bytes. The reverse (image magic inside a PDF)
// needs no rule: a PDF must start with "%PDF-", so no image decoder or
// browser takes it for an image, and scanners legitimately embed JPEG data
// right after the header.
//
// These checks are defence in depth. What makes stored files harmless is how
// they are served: always with the Content-Type recorded at upload (never
// guessed from the name), "X-Content-Type-Options: nosniff", and for PDFs
// "Content-Disposition: attachment" or a "Content-Security-Policy: sandbox".
//
// # PDFs
//
// A PDF must start with "%PDF-d.d" and have "%%EOF" in its last 1024 bytes.
// It is refused when any of these names appears, #xx escapes decoded
// (/J#61vaScript is /JavaScript), in the raw file or in any Flate stream,
// including compressed object streams where dictionaries can hide:
//
//   - /JavaScript (every JavaScript action and the document-level
//     JavaScript name tree must use it) and /JS: JavaScript;
//   - /Launch: starts programs or opens files;
//   - /EmbeddedFile, /EmbeddedFiles: attachments;
//   - /RichMedia: Flash and other active media;
//   - /XFA: XML forms, which carry their own scripts;
//   - /Encrypt: the content cannot be checked.
//
// /JS is short enough to occur by chance in binary data, so it counts only
// outside stream bodies and inside object streams (decoded data that begins
// with a number). /OpenAction and /AA alone are allowed: they are common
// (e.g. "open at page 1, fit width") and can run JavaScript only through the
// names above. A PDF with object streams that also uses a filter this check
// does not decode (ASCIIHex, ASCII85, LZW, RunLength, Crypt) is refused, as
// is one whose streams inflate to more than 256 MB in all. A hand-crafted
// PDF can still hide a name from a byte scan (e.g. behind a PNG predictor);
// see the serving rules above.
//
// # Variants
//
// See MakeVariants. Variants never carry metadata, which matters because
// originals are stored byte for byte and keep their EXIF, including GPS
// positions: serve variants to the public, or think before serving an
// original.
package media

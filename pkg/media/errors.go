package media

import "github.com/folio-cms/folio/pkg/errs"

// An upload refused for a reason the uploader can act on is an *errs.Error
// whose message is a complete sentence for the uploader (the technical
// cause, when there is one, is wrapped, for logs only):
//
//   - errs.Invalid, code invalid_upload: malformed, e.g. empty (400);
//   - errs.TooLarge, code payload_too_large: over Limits.MaxBytes (413);
//   - errs.UnsupportedMedia, code unsupported_media_type: not an accepted,
//     well-formed, harmless JPEG, PNG, GIF, WebP or PDF (415);
//   - errs.Validation on the field "file": an image of an accepted type but
//     over Limits.MaxPixels (422).
//
// Any other error is an internal failure (a full disk, a cancelled
// context), never the uploader's fault.
func refuse(kind errs.Kind, msg string, cause error) *errs.Error {
	switch kind {
	case errs.TooLarge:
		return errs.Wrap(cause, kind, "payload_too_large", msg)
	case errs.UnsupportedMedia:
		return errs.Wrap(cause, kind, "unsupported_media_type", msg)
	case errs.Validation:
		e := errs.Validationf("file", "%s", msg)
		e.Err = cause
		return e
	}
	return errs.Wrap(cause, errs.Invalid, "invalid_upload", msg)
}

// accepted ends every message about a refused type.
const accepted = "Upload PNG, JPEG, GIF, WebP, SVG or PDF."

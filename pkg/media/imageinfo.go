package media

import (
	"bufio"
	"encoding/binary"
	"errors"
	"io"
)

// gifFrames walks the blocks of a GIF without decoding any pixels and
// returns the number of frames and the sum of their areas.
func gifFrames(r io.Reader) (frames int, pixels int64, err error) {
	br := bufio.NewReader(r)
	var hdr [13]byte // signature and logical screen descriptor
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0, 0, err
	}
	if err := skipColorTable(br, hdr[10]); err != nil {
		return 0, 0, err
	}
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, 0, err
		}
		switch b {
		case 0x21: // extension: label, then sub-blocks
			if _, err := br.ReadByte(); err != nil {
				return 0, 0, err
			}
		case 0x2c: // image descriptor, color table, LZW code size, sub-blocks
			var d [10]byte
			if _, err := io.ReadFull(br, d[:9]); err != nil {
				return 0, 0, err
			}
			frames++
			pixels += int64(binary.LittleEndian.Uint16(d[4:])) * int64(binary.LittleEndian.Uint16(d[6:]))
			if err := skipColorTable(br, d[8]); err != nil {
				return 0, 0, err
			}
			if _, err := br.ReadByte(); err != nil {
				return 0, 0, err
			}
		case 0x3b: // trailer
			return frames, pixels, nil
		default:
			return 0, 0, errors.New("gif: unknown block")
		}
		if err := skipSubBlocks(br); err != nil {
			return 0, 0, err
		}
	}
}

func skipColorTable(br *bufio.Reader, flags byte) error {
	if flags&0x80 == 0 {
		return nil
	}
	_, err := br.Discard(3 << (flags&7 + 1))
	return err
}

func skipSubBlocks(br *bufio.Reader) error {
	for {
		n, err := br.ReadByte()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if _, err := br.Discard(int(n)); err != nil {
			return err
		}
	}
}

// jpegOrientation returns the EXIF orientation (1 to 8) of a JPEG, or 1 when
// it has none. It reads only the segments before the image data.
func jpegOrientation(r io.Reader) int {
	br := bufio.NewReader(io.LimitReader(r, 1<<20))
	var b [4]byte
	if _, err := io.ReadFull(br, b[:2]); err != nil || b[0] != 0xff || b[1] != 0xd8 {
		return 1
	}
	for {
		if _, err := io.ReadFull(br, b[:2]); err != nil || b[0] != 0xff {
			return 1
		}
		marker := b[1]
		for marker == 0xff { // fill bytes
			c, err := br.ReadByte()
			if err != nil {
				return 1
			}
			marker = c
		}
		switch {
		case marker == 0xda || marker == 0xd9: // image data or end: no EXIF
			return 1
		case marker == 0x01 || marker >= 0xd0 && marker <= 0xd7: // no length
			continue
		}
		if _, err := io.ReadFull(br, b[:2]); err != nil {
			return 1
		}
		n := int(binary.BigEndian.Uint16(b[:2])) - 2
		if n < 0 {
			return 1
		}
		if marker != 0xe1 {
			if _, err := br.Discard(n); err != nil {
				return 1
			}
			continue
		}
		seg := make([]byte, n)
		if _, err := io.ReadFull(br, seg); err != nil {
			return 1
		}
		if len(seg) > 6 && string(seg[:6]) == "Exif\x00\x00" {
			return exifOrientation(seg[6:])
		}
	}
}

// exifOrientation reads tag 0x0112 from IFD0 of a TIFF-structured EXIF block.
func exifOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 {
			if v := int(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}

package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// upload ingests data into dir and fails the test on refusal.
func upload(t testing.TB, data []byte, dir string) Upload {
	t.Helper()
	up, err := Ingest(context.Background(), bytes.NewReader(data), dir, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return up
}

var (
	bigJPEGOnce sync.Once
	bigJPEG     []byte
)

// photoJPEG4000 is a 4000×3000 JPEG, made once.
func photoJPEG4000(t testing.TB) []byte {
	bigJPEGOnce.Do(func() { bigJPEG = encodeJPEG(t, photo(4000, 3000)) })
	return bigJPEG
}

type size struct{ w, h int }

func TestMakeVariantsSizes(t *testing.T) {
	tests := []struct {
		name string
		data func(t *testing.T) []byte
		mime string
		want []size
	}{
		{"4000x3000 jpeg", func(t *testing.T) []byte { return photoJPEG4000(t) }, "image/jpeg",
			[]size{{480, 360}, {960, 720}, {1600, 1200}}},
		{"700 wide jpeg", func(t *testing.T) []byte { return encodeJPEG(t, photo(700, 350)) }, "image/jpeg", []size{{480, 240}}},
		{"960 wide png keeps its width too", func(t *testing.T) []byte { return encodePNG(t, photo(960, 100)) }, "image/png",
			[]size{{480, 50}, {960, 100}}},
		{"300 wide jpeg", func(t *testing.T) []byte { return encodeJPEG(t, photo(300, 200)) }, "image/jpeg", nil},
		{"tall png", func(t *testing.T) []byte { return encodePNG(t, photo(500, 2000)) }, "image/png", []size{{480, 1920}}},
		{"jpeg turned by exif", func(t *testing.T) []byte { return exifJPEG(t, photo(1000, 500), 6) }, "image/jpeg", []size{{480, 960}}},
		{"opaque webp becomes jpeg", func(*testing.T) []byte { return solidWebP(1000, 500, color.NRGBA{10, 200, 10, 255}) }, "image/jpeg",
			[]size{{480, 240}, {960, 480}}},
		{"transparent webp becomes png", func(*testing.T) []byte { return solidWebP(500, 500, color.NRGBA{10, 10, 200, 128}) }, "image/png",
			[]size{{480, 480}}},
		{"gif gets none", func(t *testing.T) []byte { return encodeGIF(t, 800, 600, 1) }, "", nil},
		{"pdf gets none", func(*testing.T) []byte { return pdfDoc("") }, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			up := upload(t, tt.data(t), dir)
			vs, err := MakeVariants(context.Background(), up, dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(vs) != len(tt.want) {
				t.Fatalf("got %d variants %+v, want %v", len(vs), vs, tt.want)
			}
			for i, v := range vs {
				if (size{v.Width, v.Height}) != tt.want[i] || v.MIME != tt.mime {
					t.Errorf("variant %d: %d×%d %s, want %v %s", i, v.Width, v.Height, v.MIME, tt.want[i], tt.mime)
				}
				data, err := os.ReadFile(v.Path)
				if err != nil {
					t.Fatal(err)
				}
				// Each variant is a well-formed file of the type it claims.
				vu, err := Ingest(context.Background(), bytes.NewReader(data), t.TempDir(), Limits{})
				if err != nil {
					t.Fatalf("variant %d does not pass Ingest: %v", i, err)
				}
				if vu.MIME != v.MIME || vu.Ext != v.Ext || vu.Width != v.Width || vu.Height != v.Height {
					t.Errorf("variant %d decodes as %+v, described as %+v", i, vu, v)
				}
			}
		})
	}
}

// jpegSegments returns the markers of the segments before the image data.
func jpegSegments(t *testing.T, j []byte) []byte {
	t.Helper()
	var markers []byte
	for i := 2; i+4 <= len(j); {
		if j[i] != 0xff {
			t.Fatalf("no marker at %d", i)
		}
		m := j[i+1]
		markers = append(markers, m)
		if m == 0xda {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(j[i+2:]))
	}
	return markers
}

func TestVariantsDropMetadata(t *testing.T) {
	dir := t.TempDir()
	orig := exifJPEG(t, photo(1200, 800), 1)
	if !bytes.Contains(orig, []byte("Exif")) || !bytes.Contains(orig, []byte("GPS")) {
		t.Fatal("fixture has no EXIF/GPS")
	}
	if !bytes.Contains(jpegSegments(t, orig), []byte{0xe1}) {
		t.Fatal("fixture has no APP1 segment")
	}
	vs, err := MakeVariants(context.Background(), upload(t, orig, dir), dir)
	if err != nil || len(vs) != 2 {
		t.Fatalf("%d variants, %v", len(vs), err)
	}
	for _, v := range vs {
		data, _ := os.ReadFile(v.Path)
		for _, m := range jpegSegments(t, data) {
			if m >= 0xe1 && m <= 0xef {
				t.Errorf("%d wide: has an APP%d segment", v.Width, m-0xe0)
			}
		}
		for _, s := range []string{"Exif", "GPS", "52.5200"} {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%d wide: contains %q", v.Width, s)
			}
		}
	}
}

func TestVariantsApplyOrientation(t *testing.T) {
	// Stored 1000×500 with a red top-left corner; orientation 6 means the
	// camera was turned, so upright the red corner is at the top right.
	m := photo(1000, 500)
	for y := range 100 {
		for x := range 100 {
			m.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	dir := t.TempDir()
	vs, err := MakeVariants(context.Background(), upload(t, exifJPEG(t, m, 6), dir), dir)
	if err != nil || len(vs) != 1 {
		t.Fatalf("%d variants, %v", len(vs), err)
	}
	f, _ := os.Open(vs[0].Path)
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 480 || b.Dy() != 960 {
		t.Fatalf("variant is %v", b)
	}
	isRed := func(x, y int) bool {
		r, g, b, _ := img.At(x, y).RGBA()
		return r > 0xc000 && g < 0x4000 && b < 0x4000
	}
	if !isRed(470, 10) || isRed(10, 10) || isRed(10, 950) || isRed(470, 950) {
		t.Error("the red corner is not at the top right")
	}
}

func TestVariantsTransparentPNGStaysPNG(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 600, 300))
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 100
	}
	dir := t.TempDir()
	vs, err := MakeVariants(context.Background(), upload(t, encodePNG(t, m), dir), dir)
	if err != nil || len(vs) != 1 || vs[0].MIME != "image/png" {
		t.Fatalf("%+v, %v", vs, err)
	}
	f, _ := os.Open(vs[0].Path)
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := img.At(10, 10).RGBA(); a>>8 < 95 || a>>8 > 105 {
		t.Errorf("alpha %d, want about 100", a>>8)
	}
}

func TestMakeVariantsCancelled(t *testing.T) {
	dir := t.TempDir()
	up := upload(t, encodeJPEG(t, photo(1000, 800)), dir)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	vs, err := MakeVariants(ctx, up, dir)
	if !errors.Is(err, context.Canceled) || vs != nil {
		t.Fatalf("got %v, %v", vs, err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, "folio-variant-*"))
	if len(left) != 0 {
		t.Errorf("left %v", left)
	}
}

// BenchmarkMakeVariants makes the three variants of a 4000×3000 JPEG
// (decode, resize, encode).
func BenchmarkMakeVariants(b *testing.B) {
	dir := b.TempDir()
	up := upload(b, photoJPEG4000(b), dir)
	b.ReportAllocs()
	for b.Loop() {
		vs, err := MakeVariants(context.Background(), up, dir)
		if err != nil || len(vs) != 3 {
			b.Fatal(len(vs), err)
		}
		for _, v := range vs {
			os.Remove(v.Path)
		}
	}
}

package media

import "testing"

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{
		0: "0 bytes", 512: "512 bytes", 1024: "1 KiB", 1536: "1.5 KiB", 10 << 20: "10 MiB",
		(10 << 20) + 1: "10.0 MiB", 3 << 30: "3 GiB", 1610612736: "1.5 GiB",
	} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

package s3test

import (
	"os"
	"strings"
	"testing"
)

// TestTaskfileInstallsThisVersion: the test task installs the versitygw
// that the tests look for.
func TestTaskfileInstallsThisVersion(t *testing.T) {
	b, err := os.ReadFile("../../../Taskfile.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "VERSITYGW: "+Version+"\n") || !strings.Contains(string(b), Package+"@{{.VERSITYGW}}") {
		t.Errorf("Taskfile.yml does not install %s@%s", Package, Version)
	}
}

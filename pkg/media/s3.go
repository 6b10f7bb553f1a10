package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// S3Options say which S3-compatible bucket an S3 store keeps its files in.
type S3Options struct {
	Endpoint  string // http(s)://host[:port]; "" is AWS (https://s3.amazonaws.com)
	Bucket    string
	Region    string // "" is us-east-1
	Prefix    string // "" or a folder ending in "/", put before every key
	PathStyle bool   // ENDPOINT/BUCKET/KEY rather than BUCKET.ENDPOINT/KEY
	// AccessKeyID and SecretAccessKey sign every request.
	AccessKeyID, SecretAccessKey string
	// Transport carries the requests; nil: one with short connect and
	// header timeouts, so that an unreachable store fails fast.
	Transport http.RoundTripper
	// Retries is how many times a failed request is tried again (at 0.2 s,
	// then 0.4 s); 0 means 2.
	Retries int
}

// S3 is a Storage on an S3-compatible bucket (AWS S3, MinIO, R2, versitygw).
// A key is the object's name after Prefix. Objects are written whole by one
// PutObject (they appear complete or not at all) with their Content-Type, a
// year of immutable caching, PDFs as attachments, and their SHA-256 as the
// metadata x-amz-meta-sha256, so that backups need not read them twice.
// Reads are ranged GETs: seeking costs nothing until the next Read.
type S3 struct {
	client *minio.Client
	core   *minio.Core
	bucket string
	prefix string
	where  string // for messages: s3://bucket/prefix at endpoint
}

var _ Storage = (*S3)(nil)

// NewS3 makes an S3 store. It sends no request: Ping checks the bucket.
func NewS3(o S3Options) (*S3, error) {
	if o.Endpoint == "" {
		o.Endpoint = "https://s3.amazonaws.com"
	}
	u, err := url.Parse(o.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("media: S3 endpoint %q: want http(s)://host[:port]", o.Endpoint)
	}
	if o.Bucket == "" {
		return nil, errors.New("media: S3 needs a bucket")
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Transport == nil {
		o.Transport = newS3Transport()
	}
	if o.Retries <= 0 {
		o.Retries = 2
	}
	lookup := minio.BucketLookupDNS
	if o.PathStyle {
		lookup = minio.BucketLookupPath
	}
	opts := &minio.Options{
		Creds:  credentials.NewStaticV4(o.AccessKeyID, o.SecretAccessKey, ""),
		Secure: u.Scheme == "https", Region: o.Region, BucketLookup: lookup,
		Transport: o.Transport, MaxRetries: o.Retries + 1,
	}
	core, err := minio.NewCore(u.Host, opts)
	if err != nil {
		return nil, fmt.Errorf("media: S3 client: %w", err)
	}
	return &S3{
		client: core.Client, core: core, bucket: o.Bucket, prefix: o.Prefix,
		where: fmt.Sprintf("s3://%s/%s at %s", o.Bucket, o.Prefix, u.Scheme+"://"+u.Host),
	}, nil
}

func newS3Transport() *http.Transport {
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 30 * time.Second,
		ExpectContinueTimeout: time.Second,
		// Objects are served as they are stored; never decode them.
		DisableCompression: true,
	}
}

// String says where the store is, for messages: s3://bucket/prefix at endpoint.
func (s *S3) String() string { return s.where }

// ErrUnavailable is returned (wrapped) when the store itself fails: it
// cannot be reached, or it refuses the request (bad keys, no such bucket,
// no permission). It is no fault of the caller's.
var ErrUnavailable = errors.New("media: the media store is unavailable")

// UnavailableError says why the store failed.
type UnavailableError struct {
	Where  string // the store
	Op     string // what was tried: "store", "read", "delete", …
	Key    string
	Reason string // "unreachable (…)" or "refused the request (403 AccessDenied: …)"
	// Unreachable is true when no answer came (a network failure), false
	// when the store answered with a refusal.
	Unreachable bool
	Err         error
}

func (e *UnavailableError) Error() string {
	s := "media: " + e.Where + ": could not " + e.Op
	if e.Key != "" {
		s += " " + e.Key
	}
	return s + ": " + e.Reason
}

func (e *UnavailableError) Unwrap() error        { return e.Err }
func (e *UnavailableError) Is(target error) bool { return target == ErrUnavailable }

// fail classifies a client error: a missing object is ErrNotFound, a
// cancelled context stays itself, anything else is the store's failure.
func (s *S3) fail(op, key string, err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	resp := minio.ToErrorResponse(err)
	switch {
	case resp.Code == "NoSuchKey" || (resp.StatusCode == http.StatusNotFound && resp.Code != "NoSuchBucket"):
		return fmt.Errorf("media: %s: %w", key, ErrNotFound)
	case resp.StatusCode == 0:
		return &UnavailableError{Where: s.where, Op: op, Key: key, Reason: "unreachable (" + unwrapNet(err) + ")", Unreachable: true, Err: err}
	}
	reason := resp.Code
	if resp.Message != "" {
		reason += ": " + resp.Message
	}
	return &UnavailableError{Where: s.where, Op: op, Key: key, Reason: fmt.Sprintf("refused the request (%d %s)", resp.StatusCode, reason), Err: err}
}

// unwrapNet shortens a transport error to its cause: "connection refused".
func unwrapNet(err error) string {
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		return op.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err.Error()
	}
	return err.Error()
}

func (s *S3) object(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

// ContentType is the type a key's extension stands for: the types uploads
// are checked to be, and nothing else ("" for any other extension).
func ContentType(key string) string {
	switch path.Ext(key) {
	case ".jpg":
		return fmtJPEG.mime
	case ".png":
		return fmtPNG.mime
	case ".gif":
		return fmtGIF.mime
	case ".webp":
		return fmtWebP.mime
	case ".pdf":
		return fmtPDF.mime
	case ".svg":
		return fmtSVG.mime
	}
	return ""
}

// Put uploads r as the object under key, in one request when r is a file
// (an *os.File or a File of another store: its size and SHA-256 are read
// first), else in parts of 16 MiB.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	size := int64(-1)
	opts := minio.PutObjectOptions{
		ContentType:  ContentType(key),
		CacheControl: "public, max-age=31536000, immutable",
		PartSize:     16 << 20,
	}
	if opts.ContentType == "" {
		opts.ContentType = "application/octet-stream"
	}
	if path.Ext(key) == ".pdf" {
		opts.ContentDisposition = `attachment; filename="` + path.Base(key) + `"`
	}
	switch f := r.(type) {
	case *os.File:
		if size, opts.UserMetadata, err = fileFacts(f); err != nil {
			return err
		}
	case File: // another store's file (a migration)
		if size, opts.UserMetadata, err = fileFacts(f); err != nil {
			return err
		}
	}
	// r as it is: a file's ReadAt and Seek let the client send it without
	// buffering it (the client stops at ctx's end itself).
	_, err = s.client.PutObject(ctx, s.bucket, name, r, size, opts)
	return s.fail("store", key, err)
}

// fileFacts reads a file's size and SHA-256 and goes back to its start.
func fileFacts(f io.ReadSeeker) (int64, map[string]string, error) {
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, nil, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, nil, err
	}
	return n, map[string]string{"sha256": hex.EncodeToString(h.Sum(nil))}, nil
}

// Open looks the object up (one HEAD request); reading it is a GET from
// where the file was last sought to, sent at the first Read.
func (s *S3) Open(ctx context.Context, key string) (File, error) {
	info, err := s.stat(ctx, key)
	if err != nil {
		return nil, err
	}
	return &s3File{s: s, ctx: ctx, key: key, name: s.prefix + key, size: info.Size, mod: info.LastModified, etag: info.ETag}, nil
}

// Info is what a store says of one of its objects without reading it.
type Info struct {
	Size    int64
	ModTime time.Time
	SHA256  string // from the object's metadata; "" when it has none
}

// Stat returns an object's size, time and, when stored with it, SHA-256.
func (s *S3) Stat(ctx context.Context, key string) (Info, error) {
	info, err := s.stat(ctx, key)
	if err != nil {
		return Info{}, err
	}
	sum := info.UserMetadata["Sha256"]
	if !IsSHA256(sum) {
		sum = ""
	}
	return Info{Size: info.Size, ModTime: info.LastModified, SHA256: sum}, nil
}

func (s *S3) stat(ctx context.Context, key string) (minio.ObjectInfo, error) {
	name, err := s.object(key)
	if err != nil {
		return minio.ObjectInfo{}, err
	}
	info, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	return info, s.fail("read", key, err)
}

// Delete removes the object under key; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	err = s.fail("delete", key, s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}))
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// Exists reports whether an object is stored under key.
func (s *S3) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.stat(ctx, key)
	if errors.Is(err, ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// List calls fn for every object under the prefix, in key order.
func (s *S3) List(ctx context.Context, fn func(Object) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix, Recursive: true}) {
		if obj.Err != nil {
			return s.fail("list", "", obj.Err)
		}
		key := strings.TrimPrefix(obj.Key, s.prefix)
		if key == "" || strings.HasSuffix(key, "/") {
			continue
		}
		if err := fn(Object{Key: key, Size: obj.Size, ModTime: obj.LastModified, Regular: true}); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Ping checks that the bucket exists and takes our keys.
func (s *S3) Ping(ctx context.Context) error {
	ok, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return s.fail("reach the bucket", "", err)
	}
	if !ok {
		return &UnavailableError{Where: s.where, Op: "find the bucket", Reason: "it does not exist (create it, or correct FOLIO_S3_BUCKET)", Err: errors.New("no such bucket")}
	}
	return nil
}

// s3File is an object opened for reading. Nothing is fetched until Read;
// a Seek elsewhere drops the open GET, and the next Read starts a new one
// from there. ReadSection fetches exactly a range, in one GET.
type s3File struct {
	s    *S3
	ctx  context.Context
	key  string
	name string
	size int64
	mod  time.Time
	etag string
	off  int64
	body io.ReadCloser // a GET from bodyAt, or nil
}

func (f *s3File) Stat() (int64, time.Time) { return f.size, f.mod }

func (f *s3File) Read(p []byte) (int, error) {
	if f.off >= f.size {
		return 0, io.EOF
	}
	if f.body == nil {
		body, err := f.get(f.off, f.size-f.off)
		if err != nil {
			return 0, err
		}
		f.body = body
	}
	n, err := f.body.Read(p)
	f.off += int64(n)
	if err == io.EOF && f.off < f.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (f *s3File) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += f.off
	case io.SeekEnd:
		off += f.size
	}
	if off < 0 {
		return 0, errors.New("media: seek before the start of the file")
	}
	if off != f.off && f.body != nil {
		f.body.Close()
		f.body = nil
	}
	f.off = off
	return off, nil
}

// ReadSection returns n bytes from off, fetched by one ranged GET.
func (f *s3File) ReadSection(off, n int64) (io.ReadCloser, error) {
	if off < 0 || n < 0 || off+n > f.size {
		return nil, errors.New("media: section outside the file")
	}
	if n == 0 {
		return io.NopCloser(strings.NewReader("")), nil
	}
	return f.get(off, n)
}

// get sends a GET for n bytes from off (the whole object without a Range
// when that is what is asked), checking that it is the object opened.
func (f *s3File) get(off, n int64) (io.ReadCloser, error) {
	opts := minio.GetObjectOptions{}
	if off > 0 || n < f.size {
		if err := opts.SetRange(off, off+n-1); err != nil {
			return nil, err
		}
	}
	if f.etag != "" {
		if err := opts.SetMatchETag(f.etag); err != nil {
			return nil, err
		}
	}
	body, _, _, err := f.s.core.GetObject(f.ctx, f.s.bucket, f.name, opts)
	if err != nil {
		return nil, f.s.fail("read", f.key, err)
	}
	return &exactly{r: body, left: n, c: body}, nil
}

func (f *s3File) Close() error {
	if f.body != nil {
		err := f.body.Close()
		f.body = nil
		return err
	}
	return nil
}

// exactly reads n bytes: fewer is an unexpected EOF, more are not read.
type exactly struct {
	r    io.Reader
	left int64
	c    io.Closer
}

func (e *exactly) Read(p []byte) (int, error) {
	if e.left <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > e.left {
		p = p[:e.left]
	}
	n, err := e.r.Read(p)
	e.left -= int64(n)
	if err == io.EOF && e.left > 0 {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (e *exactly) Close() error { return e.c.Close() }

// Command render is a small stand-in for `helm template`, used to verify the Folio chart where no helm binary
// exists (see the README, "Deploy"). It uses the same engine as Helm, Go's text/template with the Sprig function
// library, and adds what Helm adds on top: .Values (values.yaml deep-merged with -f files, null deletes a key),
// .Release, .Chart, a minimal .Capabilities, and the functions include, tpl, required, toYaml, fromYaml, toJson,
// fail. It does NOT cover: lookup, .Files, subcharts and dependencies, --set, hook ordering or weights, schema
// validation (the test does that with ajv), post-renderers. Manifests come out in Helm's install order by kind.
//
// Build (no modules, Debian's packaged Sprig):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode:$tmp go build -o $tmp/render ./helm/render
//
// Usage:
//
//	render -chart helm/folio [-f values.yaml]... [-name folio] [-namespace default] [-upgrade] [-notes]
//
// Prints every rendered template under templates/ (skipping _*.tpl and NOTES.txt) as one multi-document YAML
// stream, each document preceded by a "# Source:" comment; with -notes it prints the rendered NOTES.txt instead.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"gopkg.in/yaml.v3"
)

type valueFiles []string

func (v *valueFiles) String() string     { return strings.Join(*v, ",") }
func (v *valueFiles) Set(s string) error { *v = append(*v, s); return nil }

// Release mirrors the fields of Helm's .Release that charts commonly read.
type Release struct {
	Name      string
	Namespace string
	Service   string
	IsInstall bool
	IsUpgrade bool
	Revision  int
}

// Chart mirrors the Chart.yaml fields Helm exposes (capitalised, as Helm does).
type Chart struct {
	Name        string
	Version     string
	AppVersion  string
	Description string
	Type        string
}

// APIVersions answers .Capabilities.APIVersions.Has like Helm does, from a fixed list.
type APIVersions []string

// Has reports whether the version ("group/version" or "group/version/Kind") is in the list.
func (a APIVersions) Has(version string) bool {
	for _, v := range a {
		if v == version {
			return true
		}
	}
	return false
}

// KubeVersion mirrors .Capabilities.KubeVersion.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

// Capabilities is the minimal .Capabilities: a fixed Kubernetes 1.30 with the core API groups.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions APIVersions
}

func main() {
	chartDir := flag.String("chart", "helm/folio", "chart directory")
	name := flag.String("name", "folio", "release name")
	namespace := flag.String("namespace", "default", "release namespace")
	upgrade := flag.Bool("upgrade", false, "render as an upgrade (.Release.IsUpgrade)")
	notes := flag.Bool("notes", false, "print the rendered NOTES.txt instead of the manifests")
	var files valueFiles
	flag.Var(&files, "f", "values file merged over values.yaml (repeatable, later wins)")
	flag.Parse()

	out, err := run(*chartDir, *name, *namespace, *upgrade, *notes, files)
	if err != nil {
		fmt.Fprintln(os.Stderr, "render:", err)
		os.Exit(1)
	}
	fmt.Print(out)
}

func run(chartDir, name, namespace string, upgrade, notes bool, files []string) (string, error) {
	var meta map[string]interface{}
	if err := readYAML(filepath.Join(chartDir, "Chart.yaml"), &meta); err != nil {
		return "", err
	}
	chart := Chart{
		Name:        str(meta["name"]),
		Version:     str(meta["version"]),
		AppVersion:  str(meta["appVersion"]),
		Description: str(meta["description"]),
		Type:        str(meta["type"]),
	}
	if chart.Name == "" || chart.Version == "" {
		return "", errors.New("Chart.yaml needs name and version")
	}

	values := map[string]interface{}{}
	if err := readYAML(filepath.Join(chartDir, "values.yaml"), &values); err != nil {
		return "", err
	}
	for _, f := range files {
		override := map[string]interface{}{}
		if err := readYAML(f, &override); err != nil {
			return "", err
		}
		values = merge(values, override)
	}

	top := map[string]interface{}{
		"Values":  values,
		"Release": Release{Name: name, Namespace: namespace, Service: "Helm", IsInstall: !upgrade, IsUpgrade: upgrade, Revision: 1},
		"Chart":   chart,
		"Capabilities": Capabilities{
			KubeVersion: KubeVersion{Version: "v1.30.0", Major: "1", Minor: "30"},
			APIVersions: APIVersions{"v1", "apps/v1", "batch/v1", "policy/v1", "autoscaling/v2", "networking.k8s.io/v1"},
		},
		"Template": map[string]interface{}{"BasePath": chart.Name + "/templates"},
	}

	paths, err := templateFiles(filepath.Join(chartDir, "templates"))
	if err != nil {
		return "", err
	}
	root := template.New("root").Option("missingkey=zero")
	root.Funcs(funcMap(root))
	for _, p := range paths {
		body, err := os.ReadFile(filepath.Join(chartDir, "templates", p))
		if err != nil {
			return "", err
		}
		if _, err := root.New(chart.Name + "/templates/" + p).Parse(string(body)); err != nil {
			return "", err
		}
	}

	var out strings.Builder
	var docs []document
	for _, p := range paths {
		base := filepath.Base(p)
		isNotes := base == "NOTES.txt"
		if strings.HasPrefix(base, "_") || isNotes != notes {
			continue
		}
		full := chart.Name + "/templates/" + p
		t := root.Lookup(full)
		// Each template gets its own .Template.Name, as in Helm.
		data := copyTop(top, full, chart.Name+"/templates")
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		text := strings.ReplaceAll(buf.String(), "<no value>", "")
		if notes {
			out.WriteString(text)
			continue
		}
		for _, doc := range splitDocuments(text) {
			docs = append(docs, document{source: full, kind: kindOf(doc), body: doc})
		}
	}
	// Like `helm template`: manifests in Helm's install order by kind, unknown kinds (CRs) last.
	sort.SliceStable(docs, func(i, j int) bool { return kindRank(docs[i].kind) < kindRank(docs[j].kind) })
	for _, d := range docs {
		out.WriteString("---\n# Source: " + d.source + "\n" + d.body + "\n")
	}
	return out.String(), nil
}

type document struct{ source, kind, body string }

// installOrder is the part of Helm's InstallOrder (pkg/releaseutil/kind_sorter.go) that charts like this use.
var installOrder = []string{
	"Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
	"ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume",
	"PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
	"ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod",
	"ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job",
	"CronJob", "IngressClass", "Ingress", "APIService",
}

func kindRank(kind string) int {
	for i, k := range installOrder {
		if k == kind {
			return i
		}
	}
	return len(installOrder)
}

func kindOf(doc string) string {
	var meta struct {
		Kind string `yaml:"kind"`
	}
	if err := yaml.Unmarshal([]byte(doc), &meta); err != nil {
		return ""
	}
	return meta.Kind
}

// funcMap is Sprig's text functions without env/expandenv (as in Helm) plus Helm's own.
func funcMap(root *template.Template) template.FuncMap {
	f := sprig.TxtFuncMap()
	delete(f, "env")
	delete(f, "expandenv")
	f["include"] = func(name string, data interface{}) (string, error) {
		t := root.Lookup(name)
		if t == nil {
			return "", fmt.Errorf("include: no template %q", name)
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return buf.String(), nil
	}
	f["tpl"] = func(text string, data interface{}) (string, error) {
		clone, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err := clone.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		if err := t.Execute(&buf, data); err != nil {
			return "", err
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
	f["required"] = func(msg string, v interface{}) (interface{}, error) {
		if v == nil {
			return nil, errors.New(msg)
		}
		if s, ok := v.(string); ok && s == "" {
			return nil, errors.New(msg)
		}
		return v, nil
	}
	f["toYaml"] = func(v interface{}) string {
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(v); err != nil {
			return ""
		}
		return strings.TrimSuffix(buf.String(), "\n")
	}
	f["fromYaml"] = func(s string) map[string]interface{} {
		m := map[string]interface{}{}
		if err := yaml.Unmarshal([]byte(s), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	f["lookup"] = func(...interface{}) (map[string]interface{}, error) {
		return nil, errors.New("lookup is not supported by this renderer")
	}
	return f
}

func copyTop(top map[string]interface{}, name, base string) map[string]interface{} {
	c := make(map[string]interface{}, len(top))
	for k, v := range top {
		c[k] = v
	}
	c["Template"] = map[string]interface{}{"Name": name, "BasePath": base}
	return c
}

// templateFiles lists the files under dir (relative, sorted), as Helm loads them.
func templateFiles(dir string) ([]string, error) {
	var paths []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		paths = append(paths, filepath.ToSlash(rel))
		return nil
	})
	sort.Strings(paths)
	return paths, err
}

// splitDocuments drops empty documents (a disabled feature renders to whitespace or only comments).
func splitDocuments(text string) []string {
	var docs []string
	for _, doc := range strings.Split("\n"+text, "\n---") {
		trimmed := strings.TrimSpace(doc)
		if trimmed == "" || onlyComments(trimmed) {
			continue
		}
		docs = append(docs, strings.Trim(doc, "\n"))
	}
	return docs
}

func onlyComments(doc string) bool {
	for _, line := range strings.Split(doc, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			return false
		}
	}
	return true
}

// merge deep-merges override into base like Helm's coalescing: maps merge, anything else replaces, null deletes.
func merge(base, override map[string]interface{}) map[string]interface{} {
	out := make(map[string]interface{}, len(base))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range override {
		if v == nil {
			delete(out, k)
			continue
		}
		bm, bok := out[k].(map[string]interface{})
		om, ook := v.(map[string]interface{})
		if bok && ook {
			out[k] = merge(bm, om)
		} else {
			out[k] = v
		}
	}
	return out
}

func readYAML(path string, into interface{}) error {
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(body, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func str(v interface{}) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

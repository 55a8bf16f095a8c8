// Command kstatus computes the kstatus status (sigs.k8s.io/cli-utils pkg/kstatus/status.Compute, the
// library Flux's health checks and `kpt live status` use) of Kubernetes objects read from JSON files.
//
// Usage: kstatus OBJECT.json...   (a file may hold one object or a List with items)
// Output: one JSON line per object: {"file","kind","namespace","name","status","message"}; exit status 1
// when Compute fails on an object.
package main

import (
	"encoding/json"
	"fmt"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type result struct {
	File      string `json:"file"`
	Kind      string `json:"kind"`
	Namespace string `json:"namespace"`
	Name      string `json:"name"`
	Status    string `json:"status,omitempty"`
	Message   string `json:"message"`
	Error     string `json:"error,omitempty"`
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kstatus OBJECT.json...")
		os.Exit(2)
	}
	failed := false
	out := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		// The Kubernetes JSON decoder: integers become int64, as kstatus expects of observedGeneration.
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(data, &probe); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			os.Exit(2)
		}
		var objects []unstructured.Unstructured
		if _, isList := probe["items"]; isList {
			list := &unstructured.UnstructuredList{}
			if err := list.UnmarshalJSON(data); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
				os.Exit(2)
			}
			objects = list.Items
		} else {
			u := &unstructured.Unstructured{}
			if err := u.UnmarshalJSON(data); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
				os.Exit(2)
			}
			objects = []unstructured.Unstructured{*u}
		}
		for i := range objects {
			obj := &objects[i]
			r := result{File: file, Kind: obj.GetKind(), Namespace: obj.GetNamespace(), Name: obj.GetName()}
			res, err := status.Compute(obj)
			if err != nil {
				r.Error = err.Error()
				failed = true
			} else {
				r.Status = res.Status.String()
				r.Message = res.Message
			}
			_ = out.Encode(r)
		}
	}
	if failed {
		os.Exit(1)
	}
}

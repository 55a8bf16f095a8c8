// Command argocd-health runs an Argo CD health script (resource.customizations.health.<group>_<kind>) on
// objects, in gopher-lua, the interpreter Argo CD embeds, set up the way Argo CD sets it up for a custom
// health script (util/lua/lua.go of argo-cd v3.6: no standard library but package, base and table; the
// object as the global `obj`, integers as numbers; a 1 s time limit; the returned table read as
// {status, message}; an unknown status becomes Unknown "Lua returned an invalid health status").
//
// It is stricter than Argo CD in one way: Argo CD also opens a reduced `os` library (time and date
// functions); this harness opens none, so a script that passes here needs nothing Argo CD lacks.
//
// Usage: argocd-health SCRIPT.lua OBJECT.json...   (an OBJECT file may also hold a List with items)
// Output: one JSON line per object: {"file","kind","namespace","name","status","message"} or, when the
// script fails, {"file",...,"error"}. Exit status 1 when any script run failed.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
)

var validStatus = map[string]bool{
	"Healthy": true, "Progressing": true, "Degraded": true, "Suspended": true, "Missing": true, "Unknown": true,
}

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
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: argocd-health SCRIPT.lua OBJECT.json...")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	failed := false
	out := json.NewEncoder(os.Stdout)
	for _, file := range os.Args[2:] {
		objects, err := readObjects(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", file, err)
			os.Exit(2)
		}
		for _, obj := range objects {
			r := health(string(script), obj)
			r.File = file
			meta, _ := obj["metadata"].(map[string]interface{})
			r.Kind, _ = obj["kind"].(string)
			r.Namespace, _ = meta["namespace"].(string)
			r.Name, _ = meta["name"].(string)
			if r.Error != "" {
				failed = true
			}
			_ = out.Encode(r)
		}
	}
	if failed {
		os.Exit(1)
	}
}

// readObjects decodes a JSON object, or the items of a List, with integers as int64 (as the Kubernetes
// decoder Argo CD's controller uses does) and other numbers as float64.
func readObjects(file string) ([]map[string]interface{}, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var raw interface{}
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	obj, ok := normalize(raw).(map[string]interface{})
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	if items, isList := obj["items"].([]interface{}); isList {
		var out []map[string]interface{}
		for _, it := range items {
			if m, ok := it.(map[string]interface{}); ok {
				out = append(out, m)
			}
		}
		return out, nil
	}
	return []map[string]interface{}{obj}, nil
}

func normalize(v interface{}) interface{} {
	switch t := v.(type) {
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	case []interface{}:
		for i := range t {
			t[i] = normalize(t[i])
		}
		return t
	case map[string]interface{}:
		for k := range t {
			t[k] = normalize(t[k])
		}
		return t
	}
	return v
}

func health(script string, obj map[string]interface{}) result {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return result{Error: "opening " + lib.name + ": " + err.Error()}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 1*time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return result{Status: "Unknown", Error: err.Error()}
	}
	ret := l.Get(-1)
	if ret.Type() == lua.LTNil {
		return result{Error: "the script returned nil: Argo CD would show no health for this object"}
	}
	tbl, ok := ret.(*lua.LTable)
	if !ok {
		return result{Error: "expect table output from Lua script, not " + ret.Type().String()}
	}
	status, _ := tbl.RawGetString("status").(lua.LString)
	message := tbl.RawGetString("message")
	msg := ""
	if s, ok := message.(lua.LString); ok {
		msg = string(s)
	} else if message != lua.LNil {
		return result{Error: "message is a " + message.Type().String() + ", not a string"}
	}
	if !validStatus[string(status)] {
		return result{Status: "Unknown", Message: "Lua returned an invalid health status"}
	}
	return result{Status: string(status), Message: msg}
}

// toLua converts decoded JSON into Lua values as Argo CD does: objects and arrays become tables,
// numbers become numbers, null becomes nil.
func toLua(l *lua.LState, v interface{}) lua.LValue {
	switch t := v.(type) {
	case bool:
		return lua.LBool(t)
	case float64:
		return lua.LNumber(t)
	case int64:
		return lua.LNumber(t)
	case string:
		return lua.LString(t)
	case []interface{}:
		arr := l.CreateTable(len(t), 0)
		for _, item := range t {
			arr.Append(toLua(l, item))
		}
		return arr
	case map[string]interface{}:
		tbl := l.CreateTable(0, len(t))
		for k, item := range t {
			tbl.RawSetH(lua.LString(k), toLua(l, item))
		}
		return tbl
	}
	return lua.LNil
}

#!/usr/bin/env python3
"""File and function sizes of the kernel and engine at git revisions, for
comparing a restructuring before and after (issue 15's note used it).

    scripts/code-sizes.py REV [REV...]

Counts the .c files of kern, wasm, arch, mm, dev, base, lib and boot; a
function is counted from a "{" in column 0 (after a line that ends a
signature) to the next "}" in column 0, which is this codebase's style.
Prints one line per revision.
"""
import os, re, sys, statistics, subprocess, tempfile
def measure(root):
    files=[]; funcs=[]
    for top in ["kern","wasm","arch","mm","dev","base","lib","boot"]:
        d=os.path.join(root,top)
        if not os.path.isdir(d): continue
        for dp,_,fs in os.walk(d):
            for f in fs:
                if not f.endswith(".c"): continue
                p=os.path.join(dp,f); lines=open(p,errors="replace").read().split("\n")
                files.append((os.path.relpath(p, root), len(lines) - (lines[-1] == "")))
                start=None
                for i,l in enumerate(lines):
                    if l=="{" and i>0 and re.match(r"^[A-Za-z_].*\)\s*$|^[A-Za-z_].*,\s*$|^\s+.*\)\s*$",lines[i-1]):
                        start=i
                    elif l=="}" and start is not None:
                        funcs.append(i-start+1); start=None
    return files,funcs
def q(xs,p): xs=sorted(xs); return xs[min(len(xs)-1,int(p*len(xs)))]
def report(name,root):
    files,funcs=measure(root)
    fl=[n for _,n in files]
    kern=[n for p,n in files if p.startswith("kern/")]
    print(f"{name}: {len(files)} .c files, lines median {statistics.median(fl):.0f} p90 {q(fl,.9)} max {max(fl)} ({max(files,key=lambda x:x[1])[0]});"
          f" kern/ {len(kern)} files, max {max(kern)}, >500: {sum(1 for n in kern if n>500)};"
          f" {len(funcs)} functions, median {statistics.median(funcs):.0f} p90 {q(funcs,.9)} max {max(funcs)}, >50 lines {sum(1 for n in funcs if n>50)}, >100 {sum(1 for n in funcs if n>100)}")
repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for rev in sys.argv[1:]:
    d=tempfile.mkdtemp()
    subprocess.run(f"git -C {repo} archive {rev} | tar -x -C {d}", shell=True, check=True)
    report(rev,d)

import json, sys, re, urllib.request
PORT = json.load(open('/root/.local/share/forge/server.json'))['port']
cases = [
 ("HumanEval_8", "Empty sum should be equal to 0 and empty product should be equal to 1."),
 ("HumanEval_12", "Return None in case the input list is empty."),
 ("HumanEval_12", "Return the first one in case of multiple strings of the same length."),
 ("HumanEval_68", "If multiple nodes with the same smallest even value are found return the node that has smallest index."),
 ("HumanEval_68", "If there are no even values or the given array is empty, return []."),
 ("HumanEval_74", "if the two lists have the same number of chars, return the first list."),
]
SYSTEM = "You write test examples for a function from its spec. You answer with one line only."
for tid, rule in cases:
    spec = open(f'/tmp/he-tasks/{tid}/spec.md').read()
    user = f"""Spec:
{spec}

The spec states this rule in words: "{rule}"
Write one example call of the function that this rule decides, with small inputs, and the exact result the rule demands. Answer with one line of the form: call ➞ result"""
    for seed, temp in [(1,0),(2,0.7),(3,0.7)]:
        body = {"messages":[{"role":"system","content":SYSTEM},{"role":"user","content":user}],"temperature":temp,"max_tokens":120,"seed":seed}
        req = urllib.request.Request(f'http://127.0.0.1:{PORT}/v1/chat/completions', data=json.dumps(body).encode(), headers={'Content-Type':'application/json'})
        text = json.load(urllib.request.urlopen(req, timeout=600))['choices'][0]['message']['content']
        print(tid, temp, '|', text.strip().replace('\n',' ⏎ ')[:200], flush=True)

import json, sys, urllib.request, re, os
port = json.load(open('/root/.local/share/forge/server.json'))['port']
tasks = [json.loads(l) for l in open('/work/shared/bench/humaneval-dev.jsonl')][:40]
prompt_text = open(sys.argv[1]).read()
out = {}
for t in tasks:
    spec = open(f"/tmp/he-tasks/{t['task_id'].replace('/','_')}/spec.md").read()
    msgs = [{"role": "user", "content": prompt_text.replace("{{spec}}", spec).replace("{{name}}", t['entry_point'])}]
    body = {"messages": msgs, "temperature": 0, "max_tokens": 300,
            "response_format": {"type": "json_object", "schema": {"type": "object", "properties": {"stated": {"type": "boolean"}, "check": {"type": "string"}}, "required": ["stated", "check"]}}}
    req = urllib.request.Request(f"http://127.0.0.1:{port}/v1/chat/completions", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    r = json.load(urllib.request.urlopen(req, timeout=300))
    ans = r['choices'][0]['message']['content']
    out[t['task_id']] = ans
    print(t['task_id'], ans, flush=True)
json.dump(out, open(sys.argv[2], 'w'), indent=1)

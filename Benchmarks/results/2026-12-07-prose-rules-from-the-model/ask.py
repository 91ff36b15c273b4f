import json, sys, os, re, urllib.request, subprocess
PORT = json.load(open('/root/.local/share/forge/server.json'))['port']
SYSTEM = "You are a test engineer. You turn the rules a spec states in words into pytest tests. You reply with code only."
USER = open('/tmp/rules/prompt.txt').read()
tasks = json.load(open('/tmp/bench-fs2/pipeline.json'))['tasks']
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for t in tasks:
    tid = t['id']
    spec = open(f'/tmp/he-tasks/{tid}/spec.md').read()
    body = {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER.replace('{{spec}}', spec)}],
            "temperature": 0, "max_tokens": 700, "seed": 1}
    req = urllib.request.Request(f'http://127.0.0.1:{PORT}/v1/chat/completions', data=json.dumps(body).encode(), headers={'Content-Type': 'application/json'})
    text = json.load(urllib.request.urlopen(req, timeout=600))['choices'][0]['message']['content']
    m = re.search(r'```(?:python)?\n(.*?)```', text, re.S)
    code = m.group(1) if m else text
    open(f'{out}/{tid}.py', 'w').write(code)
    print(tid, len(code), flush=True)

import json, sys, os, subprocess, tempfile, shutil
d = sys.argv[1]
tasks = json.load(open('/tmp/bench-fs2/pipeline.json'))['tasks']
res = {}
for t in tasks:
    tid = t['id']
    f = f'{d}/{tid}.py'
    if not os.path.exists(f): continue
    w = f'/tmp/bench-fs2/work/{tid}'
    br = subprocess.run(['git','-C',w,'branch','--format=%(refname:short)'],capture_output=True,text=True).stdout.split()
    br = [b for b in br if b.startswith('forge/')][0]
    sol = subprocess.run(['git','-C',w,'show',f'{br}:solution.py'],capture_output=True,text=True).stdout
    tmp = tempfile.mkdtemp()
    open(f'{tmp}/solution.py','w').write(sol)
    shutil.copy(f, f'{tmp}/test_rules.py')
    try:
        r = subprocess.run(['python3','-m','pytest','-q','-p','no:cacheprovider','test_rules.py'],cwd=tmp,capture_output=True,text=True,timeout=60)
        tail = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else r.stderr[-200:]
    except subprocess.TimeoutExpired:
        tail = 'timeout'
    good = t['passed']
    print(f"{tid:14} {'good' if good else 'BAD '} {tail}")

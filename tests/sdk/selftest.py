"""Self-test of oracle.py (python only): sign -> verify, request -> verify, tampering -> invalid, speed.

Run: .venv/bin/python3 tests/sdk/selftest.py  (exits non-zero on a failed assertion)
"""
import json, subprocess, sys, time
import os
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ORACLE = [os.path.join(ROOT, '.venv/bin/python3'), os.path.join(ROOT, 'tests/sdk/oracle.py')]
def run(cases):
    p = subprocess.run(ORACLE, input='\n'.join(json.dumps(c) for c in cases) + '\n',
                       capture_output=True, text=True)
    outs = [json.loads(l) for l in p.stdout.splitlines()]
    assert len(outs) == len(cases), (len(outs), len(cases), p.stderr[-2000:])
    return outs

base = dict(access_key='AK', secret_key='SK', time=1700000000, nonce='11111111-2222-4333-8444-555555555555')
signs = [
 dict(kind='sign', scheme='sigv4', service='ecr', region='us-east-1', token='TOK', method='POST',
      url='https://api.ecr.us-east-1.amazonaws.com/', headers=[['Content-Type','application/x-amz-json-1.1'],['X-Amz-Target','AmazonEC2ContainerRegistry_V20150921.DescribeImages']],
      body='{"repositoryName":"r\u00e9po"}', **base),
 dict(kind='sign', scheme='tc3', service='tcr', region='ap-guangzhou', token='T', method='POST',
      url='https://tcr.tencentcloudapi.com/', headers=[['Content-Type','application/json'],['X-TC-Action','DescribeImages'],['X-TC-Version','2019-09-24']],
      body='{"RegistryId":"\u4e2d"}', **base),
 dict(kind='sign', scheme='jdcloud3', service='containerregistry', region='cn-north-1', token='TOK', method='GET',
      url='https://containerregistry.jdcloud-api.com/v1/regions/cn-north-1/images?pageSize=10&filters.1.values.1=r%C3%A9po', headers=[['Content-Type','application/json'],['User-Agent','x']], body='', **base),
 dict(kind='sign', scheme='jdcloud2', service='containerregistry', region='cn-north-1', token=None, method='GET',
      url='https://containerregistry.jdcloud-api.com/v1/regions/cn-north-1/images?pageSize=10', headers=[['Content-Type','application/json']], body='', **base),
]
outs = run(signs)
ver = []
for c, o in zip(signs, outs):
    assert 'error' not in o, o
    url = o.get('url', c['url']); body = o.get('body', c['body'])
    v = dict(kind='verify', scheme=c['scheme'], method=c['method'], url=url, headers=o['headers'], body=body,
             secret_key='SK', service=c['service'], region=c['region'], time=1)  # time ignored: taken from headers
    ver.append(v)
    bad = dict(v); bad['body'] = body + ' ' if c['method'] == 'POST' else body
    if c['method'] == 'GET': bad['url'] = url + '&x=1'
    ver.append(bad)
    wrongkey = dict(v); wrongkey['secret_key'] = 'SK2'; ver.append(wrongkey)
vo = run(ver)
for i, o in enumerate(vo):
    want = (i % 3 == 0)
    print(ver[i]['scheme'], ['ok', 'tampered', 'wrongkey'][i % 3], o.get('valid'), o.get('signature_matches'), o.get('error', ''))
    assert o.get('valid') is want, o

# request -> verify (what the SDK really sent must verify)
reqs = [
 dict(kind='request', provider='ecr', region='us-east-1', endpoint=None, token='TOK', params={'repositoryName':'r\u00e9po','maxResults':5}, **base),
 dict(kind='request', provider='ecr_public', region='us-east-1', endpoint=None, token=None, params={'repositoryName':'repo'}, **base),
 dict(kind='request', provider='tcr', region='ap-guangzhou', endpoint=None, token='TOK', params={'RegistryId':'tcr-1','RepositoryName':'\u4e2d/x'}, **base),
 dict(kind='request', provider='jdcloud', region='cn-north-1', endpoint=None, token='TOK',
      params={'filters':[{'name':'repositoryName','values':['r\u00e9po/x','a b+c~d']}],'pageSize':10}, **base),
]
ro = run(reqs)
vs = []
for c, o in zip(reqs, ro):
    assert 'error' not in o, o
    scheme = {'ecr':'sigv4','ecr_public':'sigv4','tcr':'tc3','jdcloud':'jdcloud3'}[c['provider']]
    vs.append(dict(kind='verify', scheme=scheme, method=o['method'], url=o['url'], headers=o['headers'], body=o['body'], secret_key='SK'))
for c, o in zip(reqs, run(vs)):
    print('request->verify', c['provider'], o.get('valid'), o.get('error', ''))
    assert o.get('valid') is True, o

# speed
many = (signs + reqs + [dict(kind='response', provider='tcr', status=200, headers=[['Content-Type','application/json']], body='{"Response":{"TotalCount":0,"RequestId":"r"}}'),
                        dict(kind='response', provider='ecr', status=200, headers=[], body='{"imageDetails":[]}'),
                        dict(kind='response', provider='jdcloud', status=200, headers=[], body='{"requestId":"r","result":{"totalCount":0}}')]) * 250
t = time.time(); outs = run(many); dt = time.time() - t
assert all('error' not in o for o in outs)
print('%d cases in %.2fs incl. start-up = %.0f cases/s' % (len(many), dt, len(many) / dt))
t = time.time(); run([dict(kind='info')]); print('start-up+info %.2fs' % (time.time() - t))

#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# IS-04 Node API v1.3 and IS-05 Connection API v1.1 of the real binary: every
# response validated against the AMWA schemas; the model shape (a Receiver per
# input essence, a Sender/Source/Flow per output essence, BCP-002-01 group
# hints, BCP-004-01 constraint sets); flow parents follow the take; IS-05
# staged/active/constraints/transportfile, PATCH with two 2022-7 legs,
# receiver transport_file (SDP), immediate/absolute/relative activations, bulk.
import json
import time

from sytest import (Switchyard, check, check_schema, done, is_nmos_error, tai_now, tai_parse,
                    tai_str, validate)

sy = Switchyard()
N = '/x-nmos/node/v1.3/'
C = '/x-nmos/connection/v1.1/'
try:
    st, doc, _, r = sy.get('/x-nmos/node/')
    check(st == 200 and doc == ['v1.3/'], 'node API lists v1.3/')
    st, doc, _, _ = sy.get(N)
    check_schema('is-04/v1.3/nodeapi-base.json', doc, 'node API base')
    check(r.getheader('Access-Control-Allow-Origin') == '*', 'CORS header on responses')
    st, self_, _, _ = sy.get(N + 'self')
    check_schema('is-04/v1.3/node.json', self_, '/self')
    for coll, one in [('devices', 'device'), ('sources', 'source'), ('flows', 'flow'),
                      ('senders', 'sender'), ('receivers', 'receiver')]:
        st, lst, _, _ = sy.get(N + coll)
        check(st == 200, 'GET %s' % coll)
        check_schema('is-04/v1.3/%s.json' % coll, lst, '/' + coll)
        for item in lst:
            st, d, _, _ = sy.get(N + coll + '/' + item['id'])
            check(st == 200 and d == item, '%s/%s same as in the list' % (coll, item['id'][:8]))
            check_schema('is-04/v1.3/%s.json' % one, d, '%s %s' % (one, item['label']))
        # also with a trailing slash
        st, lst2, _, _ = sy.get(N + coll + '/')
        check(st == 200 and len(lst2) == len(lst), '%s/ with trailing slash' % coll)

    st, devices, _, _ = sy.get(N + 'devices')
    st, senders, _, _ = sy.get(N + 'senders')
    st, receivers, _, _ = sy.get(N + 'receivers')
    st, flows, _, _ = sy.get(N + 'flows')
    st, sources, _, _ = sy.get(N + 'sources')
    check(len(devices) == 1 and devices[0]['node_id'] == self_['id'], 'one Device on the Node')
    # studio.json network inputs: cam1 (v+a+anc), cam2 (v+a), ntsc1 (v) = 6; internal
    # bars and ntsc2 are Sources/Flows of the Node, not Receivers
    check(len(receivers) == 6, 'a Receiver per network input essence (6), got %d' % len(receivers))
    # outputs pgm (v+a), aux1 (v+a+anc), us1 (v) = 6
    check(len(senders) == 6, 'a Sender per output essence (6), got %d' % len(senders))
    check(set(devices[0]['senders']) == {s['id'] for s in senders}, 'device lists its senders')
    check(set(devices[0]['receivers']) == {r_['id'] for r_ in receivers}, 'device lists its receivers')
    flow_ids = {f['id'] for f in flows}
    check(all(s['flow_id'] in flow_ids for s in senders), 'every sender flow exists')
    src_ids = {s['id'] for s in sources}
    check(all(f['source_id'] in src_ids for f in flows), 'every flow source exists')
    hints = [s['tags'].get('urn:x-nmos:tag:grouphint/v1.0') for s in senders + receivers]
    check(all(h and ':' in h[0] for h in hints), 'BCP-002-01 group hint on every sender/receiver')
    ids = [x['id'] for x in [self_] + devices + senders + receivers + flows + sources]
    check(len(ids) == len(set(ids)), 'all ids unique')
    # BCP-004-01 constraint sets
    cam1v = [r_ for r_ in receivers if r_['label'] == 'Camera 1 Video'][0]
    cs = cam1v['caps']['constraint_sets']
    check(validate('bcp-004-01/v1.0/constraint_sets.json', cs) is None,
          'receiver constraint_sets valid against BCP-004-01')
    check(cs[0]['urn:x-nmos:cap:format:frame_width']['enum'] == [1920] and
          cs[0]['urn:x-nmos:cap:format:grain_rate']['enum'] == [{'numerator': 50, 'denominator': 1}],
          'constraint set says 1920 wide at 50/1')
    cam2 = [r_ for r_ in receivers if r_['label'].startswith('摄像机 2')]
    check(len(cam2) == 2, 'UTF-8 (Chinese) input label carried into IS-04 labels')

    # flow parents follow the take: pgm carries internal "bars" at start
    pgm_flow = [f for f in flows if f['label'] == 'Program Video'][0]
    bars_flow = [f for f in flows if f['label'] == 'Bars Video'][0]
    check(pgm_flow['parents'] == [bars_flow['id']], 'pgm video flow parent = bars flow')
    st, d, _, _ = sy.request('POST', '/x-switchyard/v1/outputs/pgm/take', body={'input': 'cam1'})
    check(st == 202, 'take cam1 -> pgm accepted')
    time.sleep(0.1)
    st, f2, _, _ = sy.get(N + 'flows/' + pgm_flow['id'])
    check(f2['parents'] == [] and f2['version'] != pgm_flow['version'],
          'after take of a network input: parents [] and version moved (%s -> %s)' %
          (pgm_flow['version'], f2['version']))

    # ---- IS-05 ----
    st, doc, _, _ = sy.get(C)
    check_schema('is-05/v1.1/connectionapi-base.json', doc, 'connection API base')
    st, doc, _, _ = sy.get(C + 'single/')
    check_schema('is-05/v1.1/connectionapi-single.json', doc, 'single/')
    st, snd_list, _, _ = sy.get(C + 'single/senders/')
    check(sorted(x[:-1] for x in snd_list) == sorted(s['id'] for s in senders),
          'IS-05 senders = IS-04 senders')
    for s in senders:
        base = C + 'single/senders/' + s['id'] + '/'
        st, doc, _, _ = sy.get(base)
        check_schema('is-05/v1.1/connectionapi-sender.json', doc, 'sender root')
        for leaf, schema in [('staged', 'sender-response-schema.json'),
                             ('active', 'sender-response-schema.json'),
                             ('constraints', 'constraints-schema.json'),
                             ('transporttype', 'transporttype-response-schema.json')]:
            st, doc, _, _ = sy.get(base + leaf)
            check(st == 200, 'GET sender %s' % leaf)
            check_schema('is-05/v1.1/' + schema, doc, 'sender %s %s' % (s['label'], leaf))
        st, _, sdp, r = sy.get(base + 'transportfile')
        check(st == 200 and r.getheader('Content-Type') == 'application/sdp' and
              sdp.startswith(b'v=0'), 'sender %s transportfile is SDP' % s['label'])
    for rc in receivers:
        base = C + 'single/receivers/' + rc['id'] + '/'
        for leaf, schema in [('staged', 'receiver-response-schema.json'),
                             ('active', 'receiver-response-schema.json'),
                             ('constraints', 'constraints-schema.json')]:
            st, doc, _, _ = sy.get(base + leaf)
            check_schema('is-05/v1.1/' + schema, doc, 'receiver %s %s' % (rc['label'], leaf))
        st, _, _, _ = sy.get(base + 'transportfile')
        check(st == 404, 'receivers have no transportfile (404)')

    # pgm video sender: two legs (2022-7): SDP has two media + group:DUP
    pgmv = [s for s in senders if s['label'] == 'Program Video'][0]
    sbase = C + 'single/senders/' + pgmv['id'] + '/'
    st, _, sdp, _ = sy.get(sbase + 'transportfile')
    text = sdp.decode()
    check(text.count('m=video') == 2 and 'a=group:DUP' in text and 'c=IN IP4 239.21.0.1' in text,
          '2022-7 sender SDP has two legs and a DUP group')
    check('exactframerate=50' in text and 'width=1920' in text, 'SDP carries the output format')
    check('a=ts-refclk:ptp=IEEE1588-2008:08-00-11-FF-FE-22-33-44:127' in text and
          'a=mediaclk:direct=0' in text, 'SDP carries the configured PTP reference (ST 2110-10)')
    check(self_['clocks'][0]['ref_type'] == 'ptp' and self_['clocks'][0]['locked'] is False,
          '/self names the PTP clock, not claiming lock')
    # PATCH both legs, immediate
    body = {'master_enable': True, 'activation': {'mode': 'activate_immediate'},
            'transport_params': [{'destination_ip': '239.30.0.1', 'destination_port': 6000},
                                 {'destination_ip': '239.31.0.1', 'destination_port': 6002}]}
    check(validate('is-05/v1.1/sender-stage-schema.json', body) is None, 'our PATCH body is valid')
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged', body=body)
    check(st == 200, 'PATCH sender immediate -> 200 (%s)' % st)
    check_schema('is-05/v1.1/sender-response-schema.json', doc, 'PATCH response')
    check(doc['activation']['mode'] == 'activate_immediate' and doc['activation']['activation_time'],
          'immediate activation reports its activation_time')
    st, act, _, _ = sy.get(sbase + 'active')
    check(act['transport_params'][1]['destination_ip'] == '239.31.0.1', 'active has leg 2 changed')
    st, _, sdp, _ = sy.get(sbase + 'transportfile')
    check(b'239.31.0.1' in sdp and b'm=video 6002' in sdp, 'transportfile follows the activation')
    # one leg only for a two-leg sender -> 400, nothing changed
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged',
                               body={'transport_params': [{'destination_port': 7000}]})
    check(st == 400 and is_nmos_error(400, doc), 'wrong leg count -> 400 NMOS error')
    st, stg, _, _ = sy.get(sbase + 'staged')
    check(stg['transport_params'][0]['destination_port'] == 6000, 'staged unchanged after 400')

    # scheduled relative activation
    body = {'transport_params': [{'destination_port': 6100}, {'destination_port': 6102}],
            'activation': {'mode': 'activate_scheduled_relative', 'requested_time': '0:200000000'}}
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged', body=body)
    check(st == 202, 'scheduled relative -> 202 (%s)' % st)
    check_schema('is-05/v1.1/sender-response-schema.json', doc, 'scheduled PATCH response')
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged', body={'master_enable': False})
    check(st == 423, 'PATCH while a scheduled activation is pending -> 423')
    st, act, _, _ = sy.get(sbase + 'active')
    check(act['transport_params'][0]['destination_port'] == 6000, 'not active before its time')
    time.sleep(0.4)
    st, act, _, _ = sy.get(sbase + 'active')
    check(act['transport_params'][0]['destination_port'] == 6100 and
          act['activation']['mode'] == 'activate_scheduled_relative', 'active after its time')
    # scheduled absolute, then cancel
    t = tai_now() + 5_000_000_000
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged', body={
        'activation': {'mode': 'activate_scheduled_absolute', 'requested_time': tai_str(t)}})
    check(st == 202 and doc['activation']['activation_time'] == tai_str(t),
          'scheduled absolute -> 202 at the requested TAI time')
    st, doc, _, _ = sy.request('PATCH', sbase + 'staged', body={'activation': {'mode': None}})
    check(st == 200 and doc['activation']['mode'] is None, 'mode null cancels the scheduled activation')

    # receiver transport_file (SDP of a matching 1080p50 flow) on cam1 video (two legs)
    rbase = C + 'single/receivers/' + cam1v['id'] + '/'
    sdp_text = ('v=0\r\no=- 1 1 IN IP4 192.168.50.1\r\ns=Cam\r\nt=0 0\r\na=group:DUP A B\r\n'
                'm=video 5010 RTP/AVP 96\r\nc=IN IP4 239.50.0.1/32\r\n'
                'a=source-filter: incl IN IP4 239.50.0.1 192.168.50.1\r\na=rtpmap:96 raw/90000\r\n'
                'a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=50; depth=10; '
                'TCS=SDR; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\r\n'
                'a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127\r\na=mediaclk:direct=0\r\na=mid:A\r\n'
                'm=video 5012 RTP/AVP 96\r\nc=IN IP4 239.51.0.1/32\r\na=rtpmap:96 raw/90000\r\n'
                'a=fmtp:96 sampling=YCbCr-4:2:2; width=1920; height=1080; exactframerate=50; depth=10; '
                'TCS=SDR; colorimetry=BT709; PM=2110GPM; SSN=ST2110-20:2017; TP=2110TPN\r\n'
                'a=ts-refclk:ptp=IEEE1588-2008:39-A7-94-FF-FE-07-CB-D0:127\r\na=mediaclk:direct=0\r\na=mid:B\r\n')
    sender_uuid = '6f0a4e1c-3b2d-4c5e-9f80-1a2b3c4d5e6f'
    body = {'sender_id': sender_uuid, 'master_enable': True,
            'activation': {'mode': 'activate_immediate'},
            'transport_file': {'data': sdp_text, 'type': 'application/sdp'}}
    check(validate('is-05/v1.1/receiver-stage-schema.json', body) is None, 'receiver PATCH body valid')
    st, doc, _, _ = sy.request('PATCH', rbase + 'staged', body=body)
    check(st == 200, 'receiver PATCH with SDP -> 200 (%s %s)' % (st, doc))
    check_schema('is-05/v1.1/receiver-response-schema.json', doc, 'receiver PATCH response')
    st, act, _, _ = sy.get(rbase + 'active')
    check(act['transport_params'][0]['multicast_ip'] == '239.50.0.1' and
          act['transport_params'][1]['multicast_ip'] == '239.51.0.1' and
          act['transport_params'][0]['source_ip'] == '192.168.50.1' and
          act['transport_params'][1]['destination_port'] == 5012, 'legs derived from the SDP')
    st, r2, _, _ = sy.get(N + 'receivers/' + cam1v['id'])
    check(r2['subscription'] == {'sender_id': sender_uuid, 'active': True},
          'IS-04 receiver subscription follows the IS-05 activation')
    # an SDP of the wrong format (59.94) -> 400, nothing changed
    bad = sdp_text.replace('exactframerate=50', 'exactframerate=60000/1001')
    st, doc, _, _ = sy.request('PATCH', rbase + 'staged', body={
        'transport_file': {'data': bad, 'type': 'application/sdp'}})
    check(st == 400 and 'differs' in doc['debug'], 'SDP of another format -> 400 (%s)' % doc)
    st, doc, _, _ = sy.request('PATCH', rbase + 'staged', body={
        'transport_file': {'data': 'v=0\r\nbogus\r\n', 'type': 'application/sdp'}})
    check(st == 400 and 'line' in doc['debug'], 'malformed SDP -> 400 with the line: %s' % doc['debug'])

    # bulk
    st, doc, _, _ = sy.request('POST', C + 'bulk/receivers', body=[
        {'id': cam1v['id'], 'params': {'master_enable': False,
                                      'activation': {'mode': 'activate_immediate'}}},
        {'id': '00000000-0000-4000-8000-000000000000', 'params': {}}])
    check(st == 200, 'bulk receivers -> 200')
    check_schema('is-05/v1.1/bulk-response-schema.json', doc, 'bulk response')
    check([x['code'] for x in doc] == [200, 404], 'bulk per-entry codes 200, 404: %s' % doc)
    st, doc, _, _ = sy.get(C + 'bulk/senders')
    check(st == 405 and is_nmos_error(405, doc), 'GET bulk -> 405')

    # IS-04 receiver target: {} accepted, a Sender object refused honestly
    st, doc, _, _ = sy.request('PUT', N + 'receivers/' + cam1v['id'] + '/target', body={})
    check(st == 202, 'PUT target {} -> 202')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit on SIGTERM (rc %s)' % rc)
done()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Check that confined's live D-Bus API matches introspection/*.xml, the wire contract.

Usage:
  test-introspect.py                     compare with confined on the system bus
  test-introspect.py --introspect-xml F  compare with saved Introspect replies instead of
                                         the bus (repeatable; no job is spawned)
  test-introspect.py --self-test         prove that the comparison can fail: compare the
                                         XML with mutated copies of itself

Run on the private bus of tests/with-bus, as root (DBUS_SYSTEM_BUS_ADDRESS points at it):

  tests/with-bus -- tests/bus/test-introspect.py

It calls org.freedesktop.DBus.Introspectable.Introspect on /org/confine/Confine1, spawns
`/bin/sleep 5` with Spawn to get a job object, introspects that too, then kills the job
with Kill(9). All bus calls go through `busctl --system --json=short`.

For each introspection/IFACE.xml (the source dir is two levels above this script, or
$CONFINE_SOURCE_DIR) the interface IFACE is looked up in the live replies (the Manager
on /org/confine/Confine1, the Job on the job's path, any other on either) and compared:

  * methods: the set of names; for each, the ordered (name, type, direction) of its
    arguments (direction defaults to "in");
  * signals: the set of names; for each, the ordered (name, type) of its arguments;
  * properties: the set of names; for each, (type, access);
  * annotations on the interface, on each member, property and argument, ignoring those
    whose name starts with "org.freedesktop.systemd1." (sd-bus adds
    org.freedesktop.systemd1.Privileged to methods not marked unprivileged).

The standard org.freedesktop.DBus.* interfaces in the live reply are ignored; a live
org.confine.* interface with no XML file is a failure (the XML is the contract).

Output is TAP: one test per bus call, per interface and per member, with a diff
(expected from the XML, "+" from the bus) under each failure. The exit status is 0 when
everything matches and 1 otherwise.
"""

import argparse
import copy
import difflib
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET

BUS_NAME = 'org.confine.Confine1'
MANAGER_PATH = '/org/confine/Confine1'
JOB_PATH_PREFIX = MANAGER_PATH + '/job/'
MANAGER_IFACE = 'org.confine.Confine1.Manager'
JOB_IFACE = 'org.confine.Confine1.Job'
OWN_IFACE_PREFIX = 'org.confine.'
IGNORED_ANNOTATION_PREFIXES = ('org.freedesktop.systemd1.',)
SPAWN_ARGV = ['/bin/sleep', '5']
BUSCTL = os.environ.get('BUSCTL', 'busctl')
CALL_TIMEOUT_SEC = 30

KINDS = ('method', 'signal', 'property')

# Where each interface of the contract lives: 'manager' or 'job'. Interfaces not listed
# here are searched for on every introspected object.
IFACE_OBJECT = {MANAGER_IFACE: 'manager', JOB_IFACE: 'job'}


class ContractError(Exception):
    """Malformed introspection data (in the XML files or in a live reply)."""


class BusError(Exception):
    """A busctl call failed."""


# ---------------------------------------------------------------------------------------
# Model: an interface is a dict
#   {'annotations': ((name, value), ...),
#    'method':   {name: (args, annotations)}, args = ((name, type, direction, annotations), ...)
#    'signal':   {name: (args, annotations)}, args = ((name, type, annotations), ...)
#    'property': {name: (type, access, annotations)}}
# Annotations are sorted (name, value) tuples with the ignored names dropped.


def _annotations(elem, where):
    found = {}
    for a in elem.findall('annotation'):
        name, value = a.get('name'), a.get('value')
        if name is None or value is None:
            raise ContractError(f'{where}: <annotation> without name or value')
        if name.startswith(IGNORED_ANNOTATION_PREFIXES):
            continue
        if name in found:
            raise ContractError(f'{where}: annotation {name} given twice')
        found[name] = value
    return tuple(sorted(found.items()))


def _required(elem, attr, where):
    v = elem.get(attr)
    if not v:
        raise ContractError(f'{where}: <{elem.tag}> without {attr}=')
    return v


def parse_interface(iface):
    iname = _required(iface, 'name', 'node')
    model = {'annotations': _annotations(iface, iname), 'method': {}, 'signal': {}, 'property': {}}
    for elem in iface:
        kind = elem.tag
        if kind not in KINDS:
            continue
        name = _required(elem, 'name', iname)
        where = f'{iname}: {kind} {name}'
        if name in model[kind]:
            raise ContractError(f'{where} given twice')
        if kind == 'property':
            model[kind][name] = (_required(elem, 'type', where), _required(elem, 'access', where),
                                 _annotations(elem, where))
            continue
        args = []
        for i, arg in enumerate(elem.findall('arg')):
            awhere = f'{where} arg #{i}'
            aname, atype = arg.get('name'), _required(arg, 'type', awhere)
            if kind == 'method':
                direction = arg.get('direction', 'in')
                if direction not in ('in', 'out'):
                    raise ContractError(f'{awhere}: bad direction "{direction}"')
                args.append((aname, atype, direction, _annotations(arg, awhere)))
            else:
                # Signal arguments have no direction (some implementations say "out").
                args.append((aname, atype, _annotations(arg, awhere)))
        model[kind][name] = (tuple(args), _annotations(elem, where))
    return iname, model


def parse_node(root, origin):
    """All interfaces directly under a <node> element, as {name: model}."""
    if root.tag != 'node':
        raise ContractError(f'{origin}: the root element is <{root.tag}>, not <node>')
    ifaces = {}
    for iface in root.findall('interface'):
        name, model = parse_interface(iface)
        if name in ifaces:
            raise ContractError(f'{origin}: interface {name} given twice')
        ifaces[name] = model
    return ifaces


def parse_xml_text(text, origin):
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise ContractError(f'{origin}: not well-formed XML: {e}') from None
    return parse_node(root, origin)


# ---------------------------------------------------------------------------------------
# Rendering and comparison


def _render_annotations(ann, indent):
    return [f'{indent}@{n} = "{v}"' for n, v in ann]


def _arg_name(n):
    return '<unnamed>' if n is None else n


def render_member(kind, name, desc):
    if kind == 'property':
        ptype, access, ann = desc
        return [f'property {name} {ptype} {access}'] + _render_annotations(ann, '  ')
    args, ann = desc
    lines = [f'{kind} {name}']
    for arg in args:
        if kind == 'method':
            aname, atype, direction, aann = arg
            lines.append(f'  {direction:<3} {atype:<10} {_arg_name(aname)}')
        else:
            aname, atype, aann = arg
            lines.append(f'  {atype:<14} {_arg_name(aname)}')
        lines += _render_annotations(aann, '      ')
    return lines + _render_annotations(ann, '  ')


def render_interface(name, model):
    lines = [f'interface {name}'] + _render_annotations(model['annotations'], '  ')
    for kind in KINDS:
        for member in sorted(model[kind]):
            lines += ['  ' + line for line in render_member(kind, member, model[kind][member])]
    return lines


def diff_lines(expected, live, expected_label, live_label):
    return [line.rstrip('\n') for line in
            difflib.unified_diff(expected, live, expected_label, live_label, n=len(expected) + len(live),
                                 lineterm='')]


class Results:
    """A list of TAP results: (ok, description, diagnostic lines)."""

    def __init__(self):
        self.items = []

    def add(self, ok, description, diag=()):
        self.items.append((bool(ok), description, list(diag)))

    @property
    def failed(self):
        return sum(1 for ok, _, _ in self.items if not ok)

    def print_tap(self, out=sys.stdout):
        print(f'1..{len(self.items)}', file=out)
        for i, (ok, description, diag) in enumerate(self.items, 1):
            print(f'{"ok" if ok else "not ok"} {i} - {description}', file=out)
            for line in diag:
                print(f'#   {line}' if line else '#', file=out)
        if self.failed:
            print(f'# {self.failed} of {len(self.items)} failed', file=out)
        out.flush()


def compare_interface(name, expected, live, expected_label, live_label, results):
    """Compare one interface; add one result for its own annotations and one per member."""
    if expected['annotations'] == live['annotations']:
        results.add(True, f'{name}: interface annotations')
    else:
        results.add(False, f'{name}: interface annotations',
                    diff_lines(_render_annotations(expected['annotations'], ''),
                               _render_annotations(live['annotations'], ''), expected_label, live_label))
    for kind in KINDS:
        for member in sorted(set(expected[kind]) | set(live[kind])):
            description = f'{name}: {kind} {member}'
            if member not in live[kind]:
                results.add(False, f'{description} is on the bus',
                            [f'missing from {live_label}; {expected_label} has:']
                            + ['  ' + x for x in render_member(kind, member, expected[kind][member])])
            elif member not in expected[kind]:
                results.add(False, f'{description} is documented',
                            [f'not in {expected_label}; {live_label} has:']
                            + ['  ' + x for x in render_member(kind, member, live[kind][member])])
            elif expected[kind][member] == live[kind][member]:
                results.add(True, description)
            else:
                results.add(False, description,
                            diff_lines(render_member(kind, member, expected[kind][member]),
                                       render_member(kind, member, live[kind][member]),
                                       expected_label, live_label))


def compare(contract, live, results):
    """contract: {iface: (model, label)} from the XML files.
    live: {object: (label, {iface: model})}, object being 'manager', 'job' or a file name.
    Adds the results; returns nothing."""
    for name in sorted(contract):
        expected, expected_label = contract[name]
        where = IFACE_OBJECT.get(name)
        candidates = [live[where]] if where in live else ([] if where else list(live.values()))
        found = [(label, ifaces[name]) for label, ifaces in candidates if name in ifaces]
        if not found:
            if candidates:
                where_text = 'not found in ' + ', '.join(label for label, _ in candidates)
            else:
                where_text = f'no {where or "live"} object could be introspected (see above)'
            results.add(False, f'{name}: interface is on the bus',
                        [f'{where_text}; {expected_label} has:']
                        + ['  ' + x for x in render_interface(name, expected)])
            continue
        live_label, live_model = found[0]
        results.add(True, f'{name}: interface is on the bus ({live_label})')
        compare_interface(name, expected, live_model, expected_label, live_label, results)

    extra, seen = [], set()
    for label, ifaces in live.values():
        for name in sorted(ifaces):
            if name.startswith(OWN_IFACE_PREFIX) and name not in contract and (label, name) not in seen:
                seen.add((label, name))
                extra += [f'{name} on {label} has no introspection/{name}.xml:']
                extra += ['  ' + x for x in render_interface(name, ifaces[name])]
    results.add(not extra, f'every {OWN_IFACE_PREFIX}* interface on the bus is documented', extra)


# ---------------------------------------------------------------------------------------
# The contract: introspection/*.xml


def source_dir():
    env = os.environ.get('CONFINE_SOURCE_DIR')
    if env:
        return env
    return os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))


def load_contract(directory, results):
    """Returns {iface: (model, label)} and {iface: ElementTree root} (for the self-test).
    Adds a result per file."""
    contract, trees = {}, {}
    files = sorted(f for f in os.listdir(directory) if f.endswith('.xml')) if os.path.isdir(directory) else []
    if not files:
        results.add(False, f'introspection XML files found in {directory}')
        return contract, trees
    for f in files:
        path = os.path.join(directory, f)
        label = f'introspection/{f}'
        expected_name = f[:-len('.xml')]
        try:
            root = ET.parse(path).getroot()
            ifaces = parse_node(root, label)
            if list(ifaces) != [expected_name]:
                raise ContractError(f'{label} must hold exactly one interface, {expected_name}; '
                                    f'it holds: {", ".join(ifaces) or "none"}')
        except (OSError, ET.ParseError, ContractError) as e:
            results.add(False, f'{label} is valid introspection', [str(e)])
            continue
        results.add(True, f'{label} is valid introspection')
        contract[expected_name] = (ifaces[expected_name], label)
        trees[expected_name] = root
    return contract, trees


# ---------------------------------------------------------------------------------------
# The live side, through busctl


def busctl(*args):
    cmd = [BUSCTL, '--system', '--json=short', f'--timeout={CALL_TIMEOUT_SEC}', *args]
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                           timeout=CALL_TIMEOUT_SEC + 15)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise BusError(f'{" ".join(cmd)}: {e}') from None
    if p.returncode != 0:
        raise BusError(f'{" ".join(cmd)}: {p.stderr.strip() or f"exit status {p.returncode}"}')
    if not p.stdout.strip():
        return None
    try:
        reply = json.loads(p.stdout)
        return reply['type'], reply['data']
    except (ValueError, KeyError, TypeError):
        raise BusError(f'{" ".join(cmd)}: cannot parse the reply: {p.stdout[:200]!r}') from None


def introspect(path):
    reply = busctl('call', BUS_NAME, path, 'org.freedesktop.DBus.Introspectable', 'Introspect')
    if not reply or reply[0] != 's' or len(reply[1]) != 1:
        raise BusError(f'Introspect on {path}: unexpected reply {reply!r}')
    return parse_xml_text(reply[1][0], f'Introspect on {path}')


def live_from_bus(results):
    live = {}
    try:
        live['manager'] = (MANAGER_PATH, introspect(MANAGER_PATH))
        results.add(True, f'Introspect {MANAGER_PATH}')
    except (BusError, ContractError) as e:
        results.add(False, f'Introspect {MANAGER_PATH}', str(e).splitlines())

    job_path = None
    try:
        reply = busctl('call', BUS_NAME, MANAGER_PATH, MANAGER_IFACE, 'Spawn', 'asa(sv)t',
                       str(len(SPAWN_ARGV)), *SPAWN_ARGV, '0', '0')
        if not reply or reply[0] != 'ot' or len(reply[1]) != 2:
            raise BusError(f'Spawn: unexpected reply {reply!r}')
        job_path, job_id = reply[1]
        if job_path != f'{JOB_PATH_PREFIX}{job_id}':
            raise BusError(f'Spawn returned ({job_path}, {job_id}); expected the path {JOB_PATH_PREFIX}{job_id}')
        results.add(True, f'Spawn {" ".join(SPAWN_ARGV)} returned {job_path}')
    except BusError as e:
        results.add(False, f'Spawn {" ".join(SPAWN_ARGV)}', str(e).splitlines())

    if job_path:
        try:
            try:
                live['job'] = (job_path, introspect(job_path))
                results.add(True, f'Introspect {job_path}')
            except (BusError, ContractError) as e:
                results.add(False, f'Introspect {job_path}', str(e).splitlines())
        finally:
            try:
                busctl('call', BUS_NAME, job_path, JOB_IFACE, 'Kill', 'i', '9')
                results.add(True, f'Kill(9) {job_path}')
            except BusError as e:
                results.add(False, f'Kill(9) {job_path}', str(e).splitlines())
    return live


def live_from_files(files, results):
    """Saved Introspect replies. A file that holds a Manager or Job interface stands for
    that object; any other file is an object of its own."""
    live = {}
    for f in files:
        try:
            with open(f, encoding='utf-8') as fp:
                ifaces = parse_xml_text(fp.read(), f)
        except (OSError, ContractError) as e:
            results.add(False, f'read {f}', str(e).splitlines())
            continue
        results.add(True, f'read {f}')
        objects = sorted({IFACE_OBJECT[n] for n in ifaces if n in IFACE_OBJECT}) or [f]
        for obj in objects:
            live.setdefault(obj, (f, ifaces))
    return live


# ---------------------------------------------------------------------------------------
# Self-test: the comparison must be able to fail


def _first(root, kind, pred=lambda e: True):
    for e in root.iter(kind):
        if pred(e):
            return e
    return None


def _args(e):
    return e.findall('arg') if e is not None else []


def _set(elem, attr, value):
    elem.set(attr, value)
    return True


def _m_drop(kind):
    def f(root):
        iface = root.find('interface')
        e = iface.find(kind)
        if e is None:
            return False
        iface.remove(e)
        return True
    return f


def _m_add(kind):
    def f(root):
        e = ET.SubElement(root.find('interface'), kind, name='SelfTestBogus')
        if kind == 'property':
            e.set('type', 's')
            e.set('access', 'read')
        return True
    return f


def _m_rename(kind):
    def f(root):
        e = root.find(f'interface/{kind}')
        return e is not None and _set(e, 'name', e.get('name') + 'X')
    return f


def _m_arg(kind, mutate, need=1):
    def f(root):
        e = _first(root, kind, lambda e: len(_args(e)) >= need)
        return e is not None and mutate(e, _args(e))
    return f


def _swap_first_two(e, args):
    a, b = args[0], args[1]
    if (a.get('name'), a.get('type'), a.get('direction')) == (b.get('name'), b.get('type'), b.get('direction')):
        return False
    e.remove(a)
    e.insert(list(e).index(b) + 1, a)
    return True


def _flip_direction(e, args):
    return _set(args[0], 'direction', 'out' if args[0].get('direction', 'in') == 'in' else 'in')


def _drop_arg(e, args):
    e.remove(args[-1])
    return True


def _m_property(mutate, pred=lambda e: True):
    def f(root):
        e = _first(root, 'property', pred)
        return e is not None and mutate(e)
    return f


def _has_ecs(e):
    return any(a.get('name') == 'org.freedesktop.DBus.Property.EmitsChangedSignal' for a in e.findall('annotation'))


def _drop_annotation(e):
    e.remove(e.find('annotation'))
    return True


def _flip_annotation(e):
    a = e.find('annotation')
    return _set(a, 'value', 'invalidates' if a.get('value') != 'invalidates' else 'true')


def _add_ecs_false(e):
    ET.SubElement(e, 'annotation', name='org.freedesktop.DBus.Property.EmitsChangedSignal', value='false')
    return True


def _m_member_annotation(kind):
    def f(root):
        e = root.find(f'interface/{kind}')
        if e is None:
            return False
        ET.SubElement(e, 'annotation', name='org.freedesktop.DBus.Deprecated', value='true')
        return True
    return f


def _m_iface_annotation(root):
    iface = root.find('interface')
    iface.insert(0, ET.Element('annotation', name='org.freedesktop.DBus.Deprecated', value='true'))
    return True


def _m_drop_interface(root):
    root.remove(root.find('interface'))
    return True


def _m_rename_interface(root):
    return _set(root.find('interface'), 'name', root.find('interface').get('name') + 'X')


MUTATIONS = [
    ('a method removed', _m_drop('method')),
    ('a method added', _m_add('method')),
    ('a method renamed', _m_rename('method')),
    ('a method argument renamed', _m_arg('method', lambda e, a: _set(a[0], 'name', (a[0].get('name') or '') + 'x'))),
    ('a method argument unnamed', _m_arg('method', lambda e, a: a[0].attrib.pop('name', None) is not None)),
    ('a method argument retyped', _m_arg('method', lambda e, a: _set(a[-1], 'type', a[-1].get('type') + 's'))),
    ('two method arguments swapped', _m_arg('method', _swap_first_two, 2)),
    ('a method argument direction flipped', _m_arg('method', _flip_direction)),
    ('a method argument removed', _m_arg('method', _drop_arg)),
    ('a method annotation added', _m_member_annotation('method')),
    ('a signal removed', _m_drop('signal')),
    ('a signal added', _m_add('signal')),
    ('a signal argument renamed', _m_arg('signal', lambda e, a: _set(a[0], 'name', (a[0].get('name') or '') + 'x'))),
    ('a signal argument retyped', _m_arg('signal', lambda e, a: _set(a[0], 'type', 'v'))),
    ('two signal arguments swapped', _m_arg('signal', _swap_first_two, 2)),
    ('a signal argument removed', _m_arg('signal', _drop_arg)),
    ('a signal annotation added', _m_member_annotation('signal')),
    ('a property removed', _m_drop('property')),
    ('a property added', _m_add('property')),
    ('a property renamed', _m_rename('property')),
    ('a property retyped', _m_property(lambda e: _set(e, 'type', 'v'))),
    ('a property made writable', _m_property(lambda e: _set(e, 'access', 'readwrite'))),
    ('an EmitsChangedSignal annotation removed', _m_property(_drop_annotation, _has_ecs)),
    ('an EmitsChangedSignal value changed', _m_property(_flip_annotation, _has_ecs)),
    ('an EmitsChangedSignal annotation added', _m_property(_add_ecs_false, lambda e: not _has_ecs(e))),
    ('an interface annotation added', _m_iface_annotation),
    ('the interface renamed', _m_rename_interface),
    ('the interface removed', _m_drop_interface),
]


def _sdbus_like(root):
    """What sd-bus would send for the same interface: explicit directions, the standard
    interfaces, org.freedesktop.systemd1.Privileged on methods, child nodes, no comments."""
    node = ET.Element('node')
    for std in ('org.freedesktop.DBus.Peer', 'org.freedesktop.DBus.Introspectable',
                'org.freedesktop.DBus.Properties'):
        i = ET.SubElement(node, 'interface', name=std)
        m = ET.SubElement(i, 'method', name='Ping' if std.endswith('Peer') else 'Introspect')
        if std.endswith('Introspectable'):
            ET.SubElement(m, 'arg', name='xml_data', type='s', direction='out')
    for iface in root.findall('interface'):
        iface = copy.deepcopy(iface)
        for m in iface.findall('method'):
            for a in m.findall('arg'):
                a.set('direction', a.get('direction', 'in'))
            ET.SubElement(m, 'annotation', name='org.freedesktop.systemd1.Privileged', value='true')
        node.append(iface)
    ET.SubElement(node, 'node', name='job')
    return ('<!DOCTYPE node PUBLIC "-//freedesktop//DTD D-BUS Object Introspection 1.0//EN"\n'
            ' "http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd">\n' + ET.tostring(node, 'unicode'))


def self_test(contract, trees, results):
    def run(live_roots):
        r = Results()
        live = {}
        for name, text in live_roots.items():
            live[IFACE_OBJECT.get(name, name)] = (f'mutated {name}', parse_xml_text(text, name))
        compare(contract, live, r)
        return r

    def live_texts(mutated_name=None, mutated_root=None):
        out = {}
        for name, root in trees.items():
            out[name] = _sdbus_like(mutated_root if name == mutated_name else root)
        return out

    clean = run(live_texts())
    results.add(clean.failed == 0 and len(clean.items) > 0,
                'self-test: an sd-bus-like copy of the XML matches',
                [f'{"ok" if ok else "not ok"} - {d}' for ok, d, _ in clean.items if not ok])

    for name in sorted(trees):
        for what, mutate in MUTATIONS:
            root = copy.deepcopy(trees[name])
            if not mutate(root):
                continue  # not applicable to this interface
            r = run(live_texts(name, root))
            # The difference must be reported against the mutated interface (or as an
            # undocumented one), not somewhere else by accident.
            hits = [d for ok, d, _ in r.items if not ok and (d.startswith(name + ':') or 'documented' in d)]
            diag = [] if hits else ['the comparison found no difference in ' + name]
            results.add(bool(hits) and r.failed == len(hits), f'self-test: {name}: {what} is detected', diag)


# ---------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--self-test', action='store_true',
                        help='compare the XML with mutated copies of itself; no bus needed')
    parser.add_argument('--introspect-xml', metavar='FILE', action='append', default=[],
                        help='use this saved Introspect reply instead of the bus (repeatable)')
    parser.add_argument('--introspection-dir', metavar='DIR',
                        help='where the contract XML files are (default: SOURCE/introspection)')
    args = parser.parse_args(argv)

    results = Results()
    directory = args.introspection_dir or os.path.join(source_dir(), 'introspection')
    contract, trees = load_contract(directory, results)

    if args.self_test:
        if trees:
            self_test(contract, trees, results)
    else:
        if args.introspect_xml:
            live = live_from_files(args.introspect_xml, results)
        else:
            live = live_from_bus(results)
        compare(contract, live, results)

    results.print_tap()
    return 1 if results.failed else 0


if __name__ == '__main__':
    sys.exit(main())

/**
 * The receipt-code word lists (SPEC.md §Receipt codes, §Word list versions).
 *
 * v1 is the BIP-39 English list. v2, the list every new code is written in, is v1 with each
 * violent, sexual, legal, medical or otherwise alarming word replaced, AT THE SAME INDEX, by a
 * plain word (food, plants, animals, things at home): a code written on paper must look
 * harmless if someone else finds it. Same index means same bits, so a v1 code and its v2
 * spelling are the same code and open the same mailbox. Every replacement's first four letters
 * differ from those of every v1 and v2 word, so both lists stay readable by prefix.
 */
import { wordlist as bip39 } from '@scure/bip39/wordlists/english.js';

/** v1 word → its v2 replacement. Changing this map makes a new version (v3), never an edit of v2. */
export const V2_REPLACEMENTS: Readonly<Record<string, string>> = Object.freeze({
  abuse: 'acorn', accident: 'amber', accuse: 'anise', addict: 'aster', adult: 'bagel', affair: 'berry',
  afraid: 'biscuit', alarm: 'bramble', alcohol: 'caramel', anger: 'cedar', angry: 'clover', anxiety: 'cobalt',
  armed: 'crayon', army: 'cumin', arrest: 'daisy', assault: 'dahlia', asthma: 'damson', attack: 'dewdrop',
  battle: 'dill', betray: 'duvet', blade: 'fennel', blast: 'fern', blind: 'finch', blood: 'flannel',
  bomb: 'foxglove', bullet: 'glacier', bunker: 'hazel', cage: 'iris', cannon: 'jasmine', chaos: 'kale',
  chase: 'kayak', chronic: 'kettle', cigar: 'lagoon', client: 'lantern', clinic: 'larch', crash: 'lavender',
  crazy: 'lilac', crime: 'linen', cruel: 'llama', crush: 'lotus', damage: 'magpie', danger: 'mint',
  demise: 'mitten', dentist: 'moss', deputy: 'panpipe', despair: 'muesli', destroy: 'nectar', disease: 'nutmeg',
  disorder: 'oatmeal', divorce: 'otter', doctor: 'paprika', dumb: 'parsley', enemy: 'pebble', enforce: 'pecan',
  escape: 'peony', evidence: 'petal', evil: 'pinecone', execute: 'plum', exile: 'poppy', fat: 'porridge',
  fatal: 'puffin', fever: 'quilt', flee: 'reed', fury: 'robin', ghost: 'saffron', grief: 'sage',
  guilt: 'sequin', gun: 'sorbet', hazard: 'spruce', hidden: 'sunflower', horror: 'teapot', hospital: 'thimble',
  hunt: 'thyme', hurt: 'toffee', ill: 'tulip', illegal: 'walrus', illness: 'waffle', inflict: 'wren',
  inject: 'yarn', injury: 'zinnia', inmate: 'zucchini', insane: 'acacia', judge: 'apron', kick: 'beret',
  kidney: 'bonsai', kiss: 'crocus', knife: 'cupcake', law: 'dumpling', lawsuit: 'hibiscus', legal: 'igloo',
  liar: 'kumquat', misery: 'lupin', monster: 'marmalade', nasty: 'nougat', nuclear: 'oregano', nurse: 'pastel',
  panic: 'pelmet', patient: 'quince', patrol: 'rhubarb', penalty: 'sundial', pill: 'tangerine', pistol: 'tinsel',
  police: 'velour', prison: 'wicker', punch: 'wombat', rifle: 'abacus', riot: 'alpaca', romance: 'banjo',
  scare: 'begonia', secret: 'bobbin', security: 'pinafore', sentence: 'caribou', sheriff: 'catkin', shock: 'chutney',
  shoot: 'cobble', sick: 'cockle', siege: 'daffodil', siren: 'dolmen', skull: 'dormouse', slam: 'eclair',
  soldier: 'edelweiss', spy: 'eiderdown', strike: 'fudge', suspect: 'gherkin', sword: 'gumdrop', symptom: 'heather',
  tragic: 'hopscotch', trap: 'jigsaw', trial: 'kestrel', trigger: 'kipper', ugly: 'lemur', vicious: 'lychee',
  virus: 'macaron', warfare: 'maypole', warrior: 'minnow', weapon: 'nimbus', whip: 'oboe', witness: 'okapi',
  wreck: 'osprey', wrestle: 'pagoda',
});

/** v1: BIP-39 English, 2048 words. */
export const WORDLIST_V1: readonly string[] = bip39;

/** v2: the list new codes are written in, 2048 words. */
export const WORDLIST_V2: readonly string[] = Object.freeze(bip39.map((w) => V2_REPLACEMENTS[w] ?? w));

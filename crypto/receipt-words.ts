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

/**
 * The BIP-39 English list, each word written as how many leading letters it shares with the word
 * before it, then the rest: 4.4 KB gzip instead of 6.4 (the reporter's page has an 80 KiB budget).
 * tests/crypto/receipt-v2.test.ts checks it is @scure/bip39's list, word for word.
 */
const BIP39 =
  '0abandon2ility2le2out3ve2sent3orb3tract3urd2use1ccess3ident3ount3use2hieve2id2oustic2quire2ross2' +
  't3ion3or3ress3ual1dapt2d3ict3ress2just2mit2ult2vance3ice1erobic1ffair3ord2raid1gain2e3nt2ree1hea' +
  'd1im2r3port2sle1larm2bum2cohol2ert2ien2l3ey3ow2most2one2pha2ready2so2ter2ways1mateur3zing2ong3un' +
  't2used1nalyst2chor3ient2ger3le3ry2imal2kle2nounce3ual2other2swer2tenna3ique2xiety2y1part2ology2p' +
  'ear3le3rove2ril1rch3tic2ea3na2gue2m3ed3or3y2ound2range3est3ive3ow2t3efact3ist3work1sk2pect2sault' +
  '3et3ist3ume2thma1thlete2om2tack3end3itude3ract1uction2dit2gust2nt2thor3o3umn1verage2ocado3id1wak' +
  'e3re3y2esome2ful2kward1xis0baby2chelor3on2dge2g2lance3cony3l2mboo2nana3ner2r3ely3gain3rel2se3ic3' +
  'ket2ttle1each3n3uty2cause3ome2ef2fore2gin2have3ind2lieve3ow3t2nch3efit2st2tray3ter3ween2yond1icy' +
  'cle2d2ke2nd2ology2rd3th2tter1lack3de3me3nket3st2eak3ss2ind2ood3ssom3use2ue3r3sh1oard3t2dy2il2mb2' +
  'ne3us2ok3st2rder3ing3row2ss2ttom2unce2x2y1racket3in3nd3ss3ve2ead3eze2ick3dge3ef3ght3ng3sk2occoli' +
  '3ken3nze3om3ther3wn2ush1ubble2ddy3get2ffalo2ild2lb3k3let2ndle3ker2rden3ger3st2s3iness3y2tter2yer' +
  '2zz0cabbage3in3le2ctus2ge2ke2ll3m2mera3p2n3al3cel3dy3non3oe3vas3yon2pable3ital3tain2r3bon3d3go3p' +
  'et3ry3t2se3h3ino3tle3ual2t3alog3ch3egory3tle2ught3se3tion2ve1eiling2lery2ment2nsus3tury2real3tai' +
  'n1hair3lk3mpion3nge3os3pter3rge3se3t2eap3ck3ese3f3rry3st2icken3ef3ld3mney2oice3ose2ronic2uckle3n' +
  'k3rn1igar2nnamon2rcle2tizen3y2vil1laim3p3rify3w3y2ean3rk3ver2ick3ent3ff3mb3nic3p2ock3g3se3th3ud3' +
  'wn2ub3mp3ster3tch1oach3st2conut2de2ffee2il3n2llect3or3umn2mbine3e3fort3ic3mon3pany2ncert3duct3fi' +
  'rm3gress3nect3sider3trol3vince2ok3l2pper3y2ral3e3n3rect2st2tton2uch3ntry3ple3rse3sin2ver2yote1ra' +
  'ck3dle3ft3m3ne3sh3ter3wl3zy2eam3dit3ek3w2icket3me3sp3tic2op3ss3uch3wd2ucial3el3ise3mble3nch3sh2y' +
  '3stal1ube2lture2p3board2rious3rent3tain3ve2shion3tom2te1ycle0dad2mage3p2nce3ger2ring2sh2ughter2w' +
  'n2y1eal2bate3ris2cade3ember3ide3line3orate3rease2er2fense3ine3y2gree2lay3iver2mand3ise2nial3tist' +
  '3y2part3end3osit3th3uty2rive2scribe3ert3ign3k3pair3troy2tail3ect2velop3ice3ote1iagram3l3mond3ry2' +
  'ce2esel3t2ffer2gital3nity2lemma2nner3osaur2rect3t2sagree3cover3ease3h3miss3order3play3tance2vert' +
  '3ide3orce2zzy1octor3ument2g2ll3phin2main2nate3key3or2or2se2uble2ve1raft3gon3ma3stic3w2eam3ss2ift' +
  '3ll3nk3p3ve2op2um2y1uck2mb2ne2ring2st2tch3y1warf1ynamic0eager3le2rly3n3th2sily3t3y1cho2ology3nom' +
  'y1dge2it2ucate1ffort1gg1ight2ther1lbow2der2ectric3gant3ment3phant3vator2ite2se1mbark3ody3race2er' +
  'ge2otion2ploy3ower3ty1nable3ct2d3less3orse2emy3rgy2force2gage3ine2hance2joy2list2ough2rich3oll2s' +
  'ure2ter3ire3ry2velope1pisode1qual3ip1ra3se2ode3sion2ror2upt1scape2say3ence2tate1ternal2hics1vide' +
  'nce3l2oke3lve1xact3mple2cess3hange3ite3lude3use2ecute3rcise2haust3ibit2ile3st3t2otic2pand3ect3ir' +
  'e3lain3ose3ress2tend3ra1ye3brow0fabric2ce3ulty2de2int3th2ll3se2me3ily3ous2n3cy3tasy2rm2shion2t3a' +
  'l3her3igue2ult2vorite1eature2bruary2deral2e3d3l2male2nce2stival2tch2ver2w1iber2ction2eld2gure2le' +
  '3m3ter2nal3d3e3ger3ish2re3m3st2scal3h2t3ness2x1lag3me3sh3t3vor2ee2ight3p2oat3ck3or3wer2uid3sh2y1' +
  'oam2cus2g2il2ld3low2od3t2rce3est3get3k3tune3um3ward2ssil3ter2und2x1ragile3me2equent3sh2iend3nge2' +
  'og3nt3st3wn3zen2uit1uel2n3ny2rnace3y2ture0gadget2in2laxy3lery2me2p2rage3bage3den3lic3ment2s3p2te' +
  '3her2uge2ze1eneral3ius3re3tle3uine2sture1host1iant2ft2ggle2nger2raffe3l2ve1lad3nce3re3ss2ide3mps' +
  'e2obe3om3ry3ve3w2ue1oat2ddess2ld2od3se2rilla2spel3sip2vern2wn1rab3ce3in3nt3pe3ss3vity2eat3en2id3' +
  'ef3t2ocery3up3w2unt1uard2ess2ide3lt3tar2n1ym0habit2ir2lf2mmer3ster2nd2ppy2rbor3d3sh3vest2t2ve2wk' +
  '2zard1ead3lth3rt3vy2dgehog2ight2llo3met3p2n2ro1idden2gh2ll2nt2p2re2story1obby2ckey2ld3e3iday3low' +
  '2me2ney2od2pe2rn3ror3se2spital3t2tel2ur2ver1ub2ge2man3ble3or2ndred3gry3t2rdle3ry3t2sband1ybrid0i' +
  'ce2on1dea3ntify2le1gnore1ll3egal3ness1mage2itate2mense3une2pact3ose3rove3ulse1nch3lude3ome3rease' +
  '2dex3icate3oor3ustry2fant3lict3orm2hale3erit2itial2ject3ury2mate2ner3ocent2put2quiry2sane3ect3id' +
  'e3pire3tall2tact3erest3o2vest3ite3olve1ron1sland2olate2sue1tem1vory0jacket2guar2r2zz1ealous3ns2l' +
  'ly2wel1ob2in2ke2urney2y1udge2ice2mp2ngle3ior3k2st0kangaroo1een3p2tchup2y1ick2d3ney2nd3gdom2ss2t3' +
  'chen3e3ten2wi1nee2ife2ock3w0lab3el3or2dder3y2ke2mp2nguage2ptop2rge2ter3in2ugh3ndry2va2w3n3suit2y' +
  'er2zy1eader3f3rn3ve2cture2ft2g3al3end2isure2mon2nd3gth3s2opard2sson2tter2vel1iar2berty3rary2cens' +
  'e2fe3t2ght2ke2mb3it2nk2on2quid2st2ttle2ve2zard1oad3n2bster2cal3k2gic2nely3g2op2ttery2ud3nge2ve2y' +
  'al1ucky2ggage2mber2nar3ch2xury1yrics0machine2d2gic3net2id3l3n2jor2ke2mmal2n3age3date3go3sion3ual' +
  '2ple2rble3ch3gin3ine3ket3riage2sk3s3ter2tch3erial3h3rix3ter2ximum2ze1eadow3n3sure3t2chanic2dal3i' +
  'a2lody3t2mber3ory2ntion3u2rcy3ge3it3ry2sh3sage2tal3hod1iddle3night2lk3lion2mic2nd3imum3or3ute2ra' +
  'cle3ror2sery3s3take2x3ed3ture1obile2del3ify2m3ent2nitor3key3ster3th2on2ral3e3ning2squito2ther3io' +
  'n3or2untain3se2ve3ie1uch2ffin2le3tiply2scle3eum3hroom3ic3t2tual1yself3tery2th0naive2me2pkin2rrow' +
  '2sty2tion3ure1ear2ck2ed2gative3lect2ither2phew2rve2st2t3work2utral2ver2ws2xt1ice2ght1oble2ise2mi' +
  'nee2odle2rmal3th2se2table3e3hing3ice2vel2w1uclear2mber2rse2t0oak1bey2ject2lige2scure3erve2tain2v' +
  'ious1ccur2ean2tober1dor1ff3er3ice2ten1il1kay1ld2ive2ympic1mit1nce2e2ion2line3y1pen3ra2inion2pose' +
  '2tion1range2bit2chard2der3inary2gan2ient3ginal2phan1strich1ther1utdoor3er3put3side1val2en3r1wn3e' +
  'r1xygen1yster1zone0pact2ddle2ge2ir2lace3m2nda3el3ic3ther2per2rade3ent3k3rot3ty2ss2tch3h3ient3rol' +
  '3tern2use2ve2yment1eace3nut3r3sant2lican2n3alty3cil2ople2pper2rfect3mit3son2t1hone3to2rase2ysica' +
  'l1iano2cnic3ture2ece2g3eon2ll3ot2nk2oneer2pe2stol2tch2zza1lace3net3stic3te3y2ease3dge2uck3g3nge1' +
  'oem3t2int2lar3e3ice2nd3y2ol2pular2rtion2sition3sible3t2tato3tery2verty2wder3er1ractice3ise2edict' +
  '3fer3pare3sent3tty3vent2ice3de3mary3nt3ority3son3vate3ze2oblem3cess3duce3fit3gram3ject3mote3of3p' +
  'erty3sper3tect3ud3vide1ublic2dding2ll3p3se2mpkin2nch2pil3py2rchase3ity3pose3se2sh2t2zzle1yramid0' +
  'quality3ntum3rter2estion2ick3t3z2ote0rabbit2ccoon3e3k2dar3io2il3n3se2lly2mp2nch3dom3ge2pid2re2te' +
  '3her2ven2w2zor1eady3l3son2bel3uild2call3eive3ipe3ord3ycle2duce2flect3orm3use2gion3ret3ular2ject2' +
  'lax3ease3ief3y2main3ember3ind3ove2nder3ew3t2open2pair3eat3lace3ort2quire2scue3emble3ist3ource3po' +
  'nse3ult2tire3reat3urn2union2veal3iew2ward1hythm1ib3bon2ce3h2de3ge2fle2ght3id2ng2ot2pple2sk2tual2' +
  'val3er1oad3st2bot3ust2cket2mance2of3kie3m2se2tate2ugh3nd3te2yal1ubber2de2g2le2n3way2ral0sad3dle3' +
  'ness2fe2il2lad3mon3on3t3ute2me3ple2nd2tisfy3oshi2uce3sage2ve2y1cale3n3re3tter2ene2heme3ool2ience' +
  '3ssors2orpion3ut2rap3een3ipt3ub1ea3rch3son3t2cond3ret3tion3urity2ed3k2gment2lect3l2minar2nior3se' +
  '3tence2ries3vice2ssion2ttle3up2ven1hadow3ft3llow3re2ed3ll3riff2ield3ft3ne3p3ver2ock3e3ot3p3rt3ul' +
  'der3ve2rimp3ug2uffle2y1ibling2ck2de2ege2ght3n2lent3k3ly3ver2milar3ple2nce3g2ren2ster2tuate2x2ze1' +
  'kate2etch2i3ll3n3rt2ull1lab3m2eep3nder2ice3de3ght3m2ogan3t3w2ush1mall3rt2ile2oke3oth1nack3ke3p2i' +
  'ff2ow1oap2ccer3ial3k2da2ft2lar3dier3id3ution3ve2meone2ng2on2rry3t2ul3nd3p3rce3th1pace3re3tial3wn' +
  '2eak3cial3ed3ll3nd2here2ice3der3ke3n3rit2lit2oil3nsor3on3rt3t2ray3ead3ing2y1quare3eeze3irrel1tab' +
  'le3dium3ff3ge3irs3mp3nd3rt3te3y2eak3el3m3p3reo2ick3ll3ng2ock3mach3ne3ol3ry3ve2rategy3eet3ike3ong' +
  '3uggle2udent3ff3mble2yle1ubject3mit3way2ccess3h2dden2ffer2gar3gest2it2mmer2n3ny3set2per3ply3reme' +
  '2re3face3ge3prise3round3vey2spect3tain1wallow3mp3p3rm2ear3et2ift3m3ng3tch2ord1ymbol3ptom2rup2ste' +
  'm0table2ckle2g2il2lent3k2nk2pe2rget2sk3te2ttoo2xi1each3m2ll2n3ant3nis3t2rm2st2xt1hank3t2eme3n3or' +
  'y3re3y2ing3s2ought2ree3ive3ow2umb3nder1icket2de2ger2lt2mber3e2ny2p2red2ssue2tle1oast2bacco2day3d' +
  'ler2e2gether2ilet2ken2mato3orrow2ne3gue3ight2ol3th2p3ic3ple2rch3nado3toise2ss2tal2urist2ward3er3' +
  'n2y1rack3de3ffic3gic3in3nsfer3p3sh3vel3y2eat3e3nd2ial3be3ck3gger3m3p2ophy3uble2uck3e3ly3mpet3st3' +
  'th2y1ube2ition2mble2na3nel2rkey3n3tle1welve3nty2ice3n3st2o1ype3ical0ugly1mbrella1nable3ware2cle3' +
  'over2der3o2fair3old2happy2iform3que3t3verse2known2lock2til2usual2veil1pdate2grade2hold2on2per2se' +
  't1rban2ge1sage2e3d3ful3less2ual1tility0vacant3uum2gue2lid3ley3ve2n3ish2por2rious2st2ult1ehicle2l' +
  'vet2ndor3ture3ue2rb3ify3sion3y2ssel2teran1iable2brant2cious3tory2deo2ew2llage2ntage2olin2rtual3u' +
  's2sa3it3ual2tal2vid1ocal2ice3d2lcano3ume2te2yage0wage3on2it2lk3l3nut2nt2rfare3m3rior2sh3p3te2ter' +
  '2ve2y1ealth3pon3r3sel3ther2b2dding2ekend2ird2lcome2st2t1hale3t2eat3el3n3re2ip3sper1ide3th2fe2ld3' +
  'l2n3dow3e3g3k3ner3ter2re2sdom3e3h2tness1olf2man2nder2od3l2rd3k3ld3ry3th1rap2eck3stle2ist3te2ong0' +
  'yard1ear2llow1ou3ng3th0zebra2ro1one2o';

/** v1: BIP-39 English, 2048 words. */
export const WORDLIST_V1: readonly string[] = Object.freeze(
  [...BIP39.matchAll(/([0-9])([a-z]+)/g)].reduce<string[]>((list, [, shared, rest]) => {
    list.push((list[list.length - 1] ?? '').slice(0, Number(shared)) + rest);
    return list;
  }, []),
);

/** v2: the list new codes are written in, 2048 words. */
export const WORDLIST_V2: readonly string[] = Object.freeze(WORDLIST_V1.map((w) => V2_REPLACEMENTS[w] ?? w));

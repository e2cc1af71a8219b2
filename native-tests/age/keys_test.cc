// SPDX-License-Identifier: Apache-2.0
// age recipients and identities (core/age/keys.h): the key strings of the
// C2SP spec, X25519, post-quantum hybrid (mlkem768x25519) and scrypt
// wrapping both ways, every MUST-reject rule of a stanza, and the file-level
// rules of UnwrapAgeFileKey.
#include "core/age/keys.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "core/base/random.h"
#include "core/codec/base64.h"
#include "core/codec/bech32.h"
#include "core/crypto/hpke.h"
#include "core/crypto/x25519.h"
#include "core/crypto/xwing.h"
#include "native-tests/age/cctv_files.h"
#include "native-tests/support/test_util.h"

namespace medseal {
namespace {

// The example key strings of the C2SP age spec (C2SP/C2SP age.md at
// 5ba5ee830903e91240fc6f9f3a7a9293d49e69c9).
constexpr std::string_view kSpecPqIdentity =
    "AGE-SECRET-KEY-PQ-1XX76JRALNLXDMEW0CRK45QMCCH4X06SE84UN3VPM33W6HWDX0H3SK3ZQFR";
constexpr std::string_view kSpecPqRecipient =
    "age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5zrqtzdxz95paef6"
    "caq5aapdmwjjqpjfdyxnzr2zampc3uxy0dg4z2n2gm9su72p0pc3u0jvev55l694v78snxg3yzvcl7yd"
    "a0eyytqj6a0ec477lnhcy5hzpz4zq3pxanve4cn62gqj3pjy5lqj9c6kyj4v2z8alktn8zh99970x79g"
    "jkv7522hv9kfz35zsnxhsx8wwtmu9cy3ftzjgwcp4sshn3llnylnpdsyz5jm72vefv4x5vfwytrefxg4"
    "wq3mv42wcrvkj742479zrxzpvp2p3e9fed9f0739vcu80r7ma28qfhnvlv4gfzel9q654dj3zmuvvz89"
    "3azhxdvs9fxd0r7jzchzcfcs5mkyyjxhw0n2z6dvp9yn9qfdp29h0azxqyjw6v7fhyuzj7zel0uq6j9r"
    "d7wgrpz7mf5dnj43jwsgvrc8qcnhy7tu6dkdujuxzkp9xj43xe8h92ktre2a3u3s8mm5mrp9nr9pwkgt"
    "z4mdlq9hgn4fps4k57ff6wddn2fy23t47sm20r8km8sd2pcyyafnet8f0dajsrlyjeah4n3mssr6asee"
    "vuuskdvq5lzguyvpgwpta742c6698vgutzqgny8usfg0w2he7kq5vyxjd0f9hqg8xk26y9e4th0gezq9"
    "2q4cpp5p2y9hf5f2cje5l0c3sa3a2qxmm38pxxvhxh99yzmfz0zk7r2s64nnwjhkfgfr3gf8xnmppcgm"
    "aykvh5sh6g7vk9790rf8ws0axmr2t7z8aae5fq2029uvcn2ghgt4fu4wgwdc0k0cz52qkvwmuzj8p8k5"
    "jgf3xzk5zmrkavjekjrpeq408xz3zxazwkc6tyfmhayrkfpjhwtz5mp8j8guqe43k2q6m2kte03vrw27"
    "y3wmqyu5etmt9dnkwcnnpmu9gz9dekfhdevf42ucshphnrk38ra6hx8w5f8q5ru0xdhrjxmwqf6cused"
    "7zc5xvq43r0zscjglpwlptpwydhqw64xz7ptjdyeyzpq2zkxtmzg29gzjpvzva4d3l0cenn9xs297wf4"
    "y4ukwrunf57xj6pm7nvrkwvtrt8hwcmgv8x7ajw7258ugf9wvkmk4052ekg87tw5vnx8nq2swyzv77v8"
    "yqlwsenvamr0zssknwts8rrhfuwj7ykysnq9jxy0uv3kuyt22djszjdtvpz6d0s0kwh8ryynddzud92e"
    "meyvvyqktd0jtj7rvvg5gch25v8smlvny3kvn5gagyz475ze2y6q466xqmz2n3hs77lddeqyta2nch5k"
    "2u5yacuk9ywnwfdzvyejnucz724hj77hrrmakm7pr3kxsrxq22ejexlud9fy2kdqmkg5yncz7jm5wv2q"
    "jk5w5kvcpqsry2yqffh2la52dxfjkjq5rzhjzeyn6dupn0qwtyv7s4lwg3xdarsdlwe2y3tujy480y7z"
    "39q259fzx6jhd2j0f5hagqpcpees7hzc2yrk5cy788uk3s7qvp5cpepx24gvws3m2g433exgwppnkjsc"
    "ec8qu4y9z9r7vccexjcjaen42245lmgmxmuavg9alej92322gvvyy2t6267v09ch64y0m53jff0vjj96"
    "s0ypk60hr3jw4myd6m5hpn3xjstx7tl2szhpr5qe8jj08ydjc4wy2rch2fhuy3pdfjax5awe9j99ly5h"
    "kntzz9fe5zatgjvzdd0kgtxs25njnajyf6ssekp7gelxquusn4pt25czh3scj68kq79wdn5tgm6yvm9n"
    "zavrg043x3msnygf8dweknw5jmqd0uvny6ttsn09508k0c55zfnegrm9efhxpfqdkmhh6gjtqmwze9py"
    "yzk3tlhl53k2ykx3qheyty7saeq0d3fzv49zc0k";
constexpr std::string_view kSpecX25519Identity =
    "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX";
constexpr std::string_view kSpecX25519Recipient =
    "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj";
constexpr std::string_view kSpecTagRecipient =
    "age1tag1qt8lw0ual6avlwmwatk888yqnmdamm7xfd0wak53ut6elz5c4swx2yqdj4e";
constexpr std::string_view kSpecTagPqRecipient =
    "age1tagpq1m3e4wvp6hzcrn9exhy0ae3xfx2sjymp594k3tg7j4dpmj922we65vtnmrt2pyallax8669"
    "zqkr2pmfchptr4n38kug2xmcmp3adk2lnjqu00x5kxz5pvhmrltvfh9wuq973pcx35cnq8syn9qd3tzp"
    "ehgztl4xpzr3tpd67g8af9trnjpc05gh7wu536aq4qt2y8zhsm4tvrfpsfl36qs5fpzysnk3sp9w77qz"
    "eg49357xex40v4s2lvt620swyys7u8yxdcnu4rkkwxdmt55gsuc3h5c5swahnegjgqwc60hn085ec3sj"
    "ztwm45l44y3j2at9t6v9zra4ek3kek6waecqm98yaxl37w0d2zra626nz63jdm5sg59w7lyptw83zm6f"
    "ntd8d0x03a9z6h9prfgpygzar6zrxjcrt4cdctk2mhf95s4a6v4zklfd49xhpsaeujm57thx2x3e3hwz"
    "c86ftfhmq5mkxxz3d6r8ws24xj4qfn73eyezg2wy094e3why592pghz27ruq3vkyegrv80eftnw9wqzw"
    "gvnwyseaus0yt84fylzrpzp6x2fguxuqjmgudr8xd33qm30evdpxd3jvjg8qh4q60kyq80jgff369k7n"
    "repdc38grd2dava520excqp0ey0x39khx8ry03yffcatgv84fsx5j49djpapedsy693zute5xv5g2ewz"
    "rlj5se7akvkc4g4vmzhputpq8eyj9wz5dz6qtn7g3cfpd95nahw4ytspan0feyye04dcylv24ege7zka"
    "j004gjwcxqxfqu2quawa83sx452jqjn8t48czp0xspwgnmvjyhttzzy6nhq8xzkdwnvsfefkwva6asrq"
    "c93zjn4rly5gnlv93xy3uzmr39szvjnf63426qzyeyvguc4vdcquwgsxgq236afcpqz866ny4tn7ckc0"
    "umefj242rt5vtvwqzzrvfev2mpvqcufp9pqvefyv4ftyuhgausfzuaadsczeykmft5wv3frzgrcp9ztr"
    "93h478ke4t86spp2uhyjkj73mp9g92ddk2fpv7v3njzsqgwhq3789sqrgkskehn0zjscckhwftyq4vet"
    "7vrlx2hs5kd9cwnq6t0djffhh3zquh4j3p0yaj9z2rc9wykg0usqw7983rrgur9jg8rnnqypwcz2lycl"
    "nnc705fc5g3an93ps60q6mxqp85u0ewtxdjlqcks84yduft0a0g6e7naew3v9u2d08knarvajn8q3gq9"
    "pgxde3s7nx94lus48wwvw2xjm7k82tvylec2393jdsuvch2xpe77w8hpv9nvsxfsrs270njpmfvpmgyk"
    "2cffl9tjp3qqcc4dfkf5rme2dg0x7ew8g39www5smm705q5da4eqvnqwrkavtq6xje9ss38hnkglz4ed"
    "dz8f5qruvqmq2ff9l22gwkv8h432rdkysy0grkul8e2fedvkyyapfxt760udcgu92m54wl9yavmj4ga3"
    "ph9r5n99cjrq6wj5v33x33fe5vkjvfwnnt40wuv2hyexc9f4ylyqv9ldqq9epd4yuv8vrsfx2qy2kqz0"
    "8kqhnzspy6s0x8fa5c2xkg5y2q0rvz4vnk7rp0acg6eksc3t7cxnn8y7glkjsqja3p56uz6vvhcw55d3"
    "ysad0hvsqxpjnc7svenf2gc5xn5kyr0et2vvyruxlnpqcdpqh9pzplumy5yzjxftyzh9ujfw0jq7ee60"
    "zx2x23p0jzyh9dvmly8p9h9ysptlqu7kwnejd65dnr75a0np2fvke8xen38r57w6z3wz3mycjmmn267w"
    "wxndfh9jdps7uxtct2wwfgamkpa5ap8s96lhfjztpwcm6fguhphu38yunu2v4vz3syzrvgwtqpemkewz"
    "p766nyu6texxvjlaemnhyyqutkcy6a42vqfsz49rw5wr4gt70r4vdaasehqjg46fnyts4sthrxadfllh"
    "a3avu49wsj2c4jx";

// The CCTV identity of most cases and the file key it unwraps.
constexpr std::string_view kCctvIdentity =
    "AGE-SECRET-KEY-1EGTZVFFV20835NWYV6270LXYVK2VKNX2MMDKWYKLMGR48UAWX40Q2P2LM0";
constexpr std::string_view kCctvFileKey = "59454c4c4f57205355424d4152494e45";

SecretBytes Secret(std::string_view s) { return SecretBytes::CopyFrom(AsBytes(s)); }

ChaChaRng TestRng(uint8_t seed) {
  Bytes s(ChaChaRng::kSeedSize, seed);
  return ChaChaRng(s);
}

SecretBytes FileKey() {
  return SecretBytes::CopyFrom(testing::HexOrDie(std::string(kCctvFileKey)));
}

std::string RevealText(const SecretBytes& s) {
  const ByteView b = RevealSecret(s);
  return std::string(b.begin(), b.end());
}

AgeIdentity NewX25519Identity(uint8_t seed) {
  ChaChaRng rng = TestRng(seed);
  auto id = AgeIdentity::X25519(rng.Secret(32));
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

TEST(AgeKeys, SpecX25519IdentityAndRecipient) {
  auto id = AgeIdentity::Parse(kSpecX25519Identity);
  ASSERT_OK(id);
  EXPECT_EQ(id->kind(), AgeIdentity::Kind::kX25519);
  auto r = id->Recipient();
  ASSERT_OK(r);
  EXPECT_EQ(r->ToString(), kSpecX25519Recipient);
  auto encoded = id->Encode();
  ASSERT_OK(encoded);
  EXPECT_EQ(RevealText(*encoded), kSpecX25519Identity);
  auto parsed = AgeRecipient::Parse(kSpecX25519Recipient);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->kind(), AgeRecipient::Kind::kX25519);
  EXPECT_EQ(parsed->public_key(), r->public_key());
  EXPECT_EQ(parsed->ToString(), kSpecX25519Recipient);
}

// The age spec's example hybrid identity maps to its example recipient.
TEST(AgeKeys, SpecHybridIdentityAndRecipient) {
  auto id = AgeIdentity::Parse(kSpecPqIdentity);
  ASSERT_OK(id);
  EXPECT_EQ(id->kind(), AgeIdentity::Kind::kHybrid);
  auto r = id->Recipient();
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), AgeRecipient::Kind::kHybrid);
  EXPECT_TRUE(r->post_quantum());
  EXPECT_EQ(r->public_key().size(), kXWingPublicKeySize);
  EXPECT_EQ(r->ToString(), kSpecPqRecipient);
  auto encoded = id->Encode();
  ASSERT_OK(encoded);
  EXPECT_EQ(RevealText(*encoded), kSpecPqIdentity);
  auto parsed = AgeRecipient::Parse(kSpecPqRecipient);
  ASSERT_OK(parsed);
  EXPECT_EQ(parsed->kind(), AgeRecipient::Kind::kHybrid);
  EXPECT_EQ(parsed->public_key(), r->public_key());
  EXPECT_EQ(parsed->ToString(), kSpecPqRecipient);
  // The recipient is X-Wing's public key of the identity's 32-byte seed.
  auto seed = Bech32Decode(kSpecPqIdentity, 4096);
  ASSERT_OK(seed);
  EXPECT_EQ(seed->data.size(), 32U);
  auto pk = XWingPublicKey(seed->data);
  ASSERT_OK(pk);
  EXPECT_EQ(*pk, parsed->public_key());
  auto x = AgeRecipient::Parse(kSpecX25519Recipient);
  ASSERT_OK(x);
  EXPECT_FALSE(x->post_quantum());
}

TEST(AgeKeys, HybridKeyStringRules) {
  auto pk = AgeRecipient::Parse(kSpecPqRecipient);
  ASSERT_OK(pk);
  const Bytes key = pk->public_key();
  // R3': the data is 1216 bytes.
  auto short_r = Bech32Encode("age1pq", ByteView(key).first(1215));
  ASSERT_OK(short_r);
  EXPECT_CODE(AgeRecipient::Parse(*short_r), ErrorCode::kMalformed);
  auto x_sized = Bech32Encode("age1pq", ByteView(key).first(32));
  ASSERT_OK(x_sized);
  EXPECT_CODE(AgeRecipient::Parse(*x_sized), ErrorCode::kMalformed);
  // ... and a valid X-Wing key: ML-KEM-768's modulus check, X25519's small order.
  Bytes unreduced = key;
  unreduced[0] = 0xff;
  unreduced[1] |= 0x0f;
  auto bad_mlkem = Bech32Encode("age1pq", unreduced);
  ASSERT_OK(bad_mlkem);
  EXPECT_CODE(AgeRecipient::Parse(*bad_mlkem), ErrorCode::kInvalidKey);
  Bytes low = key;
  std::fill(low.end() - 32, low.end(), 0);
  auto weak = Bech32Encode("age1pq", low);
  ASSERT_OK(weak);
  EXPECT_CODE(AgeRecipient::Parse(*weak), ErrorCode::kWeakKey);
  EXPECT_CODE(AgeRecipient::Hybrid(low), ErrorCode::kWeakKey);
  EXPECT_CODE(AgeRecipient::Hybrid(ByteView(key).first(1215)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeRecipient::Hybrid(ByteView(key).first(32)), ErrorCode::kInvalidArgument);
  // The hybrid recipient in upper case is malformed (age compares case-sensitively).
  std::string upper(kSpecPqRecipient);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_CODE(AgeRecipient::Parse(upper), ErrorCode::kMalformed);
  // I3': the identity's seed is 32 bytes, upper case.
  auto long_id = Bech32EncodeUpper("age-secret-key-pq-", Bytes(33, 1));
  ASSERT_OK(long_id);
  EXPECT_CODE(AgeIdentity::Parse(*long_id), ErrorCode::kMalformed);
  std::string lower(kSpecPqIdentity);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_CODE(AgeIdentity::Parse(lower), ErrorCode::kMalformed);
  EXPECT_CODE(AgeIdentity::Hybrid(SecretBytes(31)), ErrorCode::kInvalidArgument);
  // A hybrid string given to the other parser.
  EXPECT_CODE(AgeIdentity::Parse(kSpecPqRecipient), ErrorCode::kMalformed);
  EXPECT_CODE(AgeRecipient::Parse(kSpecPqIdentity), ErrorCode::kMalformed);
  // A broken checksum is malformed.
  std::string broken(kSpecPqRecipient);
  broken.back() = broken.back() == 'q' ? 'p' : 'q';
  EXPECT_CODE(AgeRecipient::Parse(broken), ErrorCode::kMalformed);
}

TEST(AgeKeys, TaggedAndPluginStringsAreUnsupported) {
  EXPECT_CODE(AgeRecipient::Parse(kSpecTagRecipient), ErrorCode::kUnsupportedRecipient);
  EXPECT_CODE(AgeRecipient::Parse(kSpecTagPqRecipient), ErrorCode::kUnsupportedRecipient);
  const Bytes data(32, 7);
  auto plugin_id = Bech32EncodeUpper("age-plugin-yubikey-", data);
  ASSERT_OK(plugin_id);
  EXPECT_CODE(AgeIdentity::Parse(*plugin_id), ErrorCode::kUnsupportedRecipient);
  auto plugin_r = Bech32Encode("age1yubikey", data);
  ASSERT_OK(plugin_r);
  EXPECT_CODE(AgeRecipient::Parse(*plugin_r), ErrorCode::kUnsupportedRecipient);
}

TEST(AgeKeys, MalformedKeyStrings) {
  std::string lower_id(kSpecX25519Identity);
  for (char& c : lower_id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_CODE(AgeIdentity::Parse(lower_id), ErrorCode::kMalformed);  // identities are upper case
  std::string upper_r(kSpecX25519Recipient);
  for (char& c : upper_r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_CODE(AgeRecipient::Parse(upper_r), ErrorCode::kMalformed);  // recipients lower case
  EXPECT_CODE(AgeRecipient::Parse(kSpecX25519Identity), ErrorCode::kMalformed);
  EXPECT_CODE(AgeIdentity::Parse(kSpecX25519Recipient), ErrorCode::kMalformed);
  EXPECT_CODE(AgeRecipient::Parse(""), ErrorCode::kMalformed);
  EXPECT_CODE(AgeIdentity::Parse(""), ErrorCode::kMalformed);
  std::string typo(kSpecX25519Recipient);
  typo[10] = typo[10] == 'q' ? 'p' : 'q';
  EXPECT_CODE(AgeRecipient::Parse(typo), ErrorCode::kMalformed);
  // Wrong key sizes.
  auto short_r = Bech32Encode("age", Bytes(31, 9));
  ASSERT_OK(short_r);
  EXPECT_CODE(AgeRecipient::Parse(*short_r), ErrorCode::kMalformed);
  auto long_id = Bech32EncodeUpper("age-secret-key-", Bytes(33, 9));
  ASSERT_OK(long_id);
  EXPECT_CODE(AgeIdentity::Parse(*long_id), ErrorCode::kMalformed);
  // Another hrp.
  auto other = Bech32Encode("agf", Bytes(32, 9));
  ASSERT_OK(other);
  EXPECT_CODE(AgeRecipient::Parse(*other), ErrorCode::kMalformed);
  // A small-order point is not a usable recipient.
  auto zero = Bech32Encode("age", Bytes(32, 0));
  ASSERT_OK(zero);
  EXPECT_CODE(AgeRecipient::Parse(*zero), ErrorCode::kWeakKey);
  EXPECT_CODE(AgeRecipient::X25519(Bytes(31, 1)), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeIdentity::X25519(SecretBytes(31)), ErrorCode::kInvalidArgument);
}

TEST(AgeKeys, X25519WrapUnwrap) {
  const AgeIdentity id = NewX25519Identity(1);
  auto r = id.Recipient();
  ASSERT_OK(r);
  ChaChaRng rng = TestRng(2);
  const SecretBytes file_key = FileKey();
  auto stanza = r->Wrap(file_key, rng);
  ASSERT_OK(stanza);
  EXPECT_EQ(stanza->type, "X25519");
  ASSERT_EQ(stanza->args.size(), 1U);
  EXPECT_EQ(stanza->args[0].size(), 43U);
  EXPECT_EQ(stanza->body.size(), 32U);
  auto back = id.Unwrap(*stanza);
  ASSERT_OK(back);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*back), RevealSecret(file_key)));
  // Fresh randomness each time.
  auto again = r->Wrap(file_key, rng);
  ASSERT_OK(again);
  EXPECT_NE(again->args[0], stanza->args[0]);
  // Another identity: not a match.
  EXPECT_CODE(NewX25519Identity(3).Unwrap(*stanza), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(r->Wrap(SecretBytes(15), rng), ErrorCode::kInvalidArgument);
}

TEST(AgeKeys, X25519StanzaRules) {
  const AgeIdentity id = NewX25519Identity(1);
  auto r = id.Recipient();
  ASSERT_OK(r);
  ChaChaRng rng = TestRng(2);
  auto good = r->Wrap(FileKey(), rng);
  ASSERT_OK(good);
  auto with = [&](auto change) {
    AgeStanza s = *good;
    change(s);
    return s;
  };
  // Another type (case matters): ignored.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.type = "x25519"; })),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args.push_back("x"); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args.clear(); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) {
    s.args[0] = Base64Encode(Bytes(31, 1), Base64Padding::kNone);
  })),
              ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) {
    s.args[0] = Base64Encode(Bytes(33, 1), Base64Padding::kNone);
  })),
              ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args[0] += "A"; })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args[0] += "="; })), ErrorCode::kMalformed);
  // The last character of a 32-byte share carries 2 unused bits.
  AgeStanza nc = *good;
  auto share = Base64Decode(nc.args[0], Base64Padding::kNone);
  ASSERT_OK(share);
  std::string text = nc.args[0];
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  text.back() = alphabet[alphabet.find(text.back()) | 1];
  nc.args[0] = text;
  EXPECT_CODE(id.Unwrap(nc), ErrorCode::kNonCanonical);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body.push_back(0); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body.pop_back(); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body[5] ^= 1; })),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) {
    s.args[0] = Base64Encode(Bytes(32, 0), Base64Padding::kNone);
  })),
              ErrorCode::kWeakKey);
  // CheckStanza reports the same grammar errors without crypto.
  EXPECT_OK(id.CheckStanza(*good));
  EXPECT_CODE(id.CheckStanza(with([](AgeStanza& s) { s.body.pop_back(); })), ErrorCode::kMalformed);
  EXPECT_OK(id.CheckStanza(with([](AgeStanza& s) { s.type = "other"; })));
}

AgeIdentity NewHybridIdentity(uint8_t seed) {
  ChaChaRng rng = TestRng(seed);
  auto id = AgeIdentity::Hybrid(rng.Secret(32));
  MEDSEAL_CHECK(id.ok());
  return std::move(id).value();
}

TEST(AgeKeys, HybridWrapUnwrap) {
  const AgeIdentity id = NewHybridIdentity(21);
  auto r = id.Recipient();
  ASSERT_OK(r);
  ChaChaRng rng = TestRng(22);
  const SecretBytes file_key = FileKey();
  auto stanza = r->Wrap(file_key, rng);
  ASSERT_OK(stanza);
  EXPECT_EQ(stanza->type, "mlkem768x25519");
  ASSERT_EQ(stanza->args.size(), 1U);
  EXPECT_EQ(stanza->args[0].size(), 1494U);  // unpadded base64 of 1120 bytes
  EXPECT_EQ(stanza->body.size(), 32U);
  auto back = id.Unwrap(*stanza);
  ASSERT_OK(back);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*back), RevealSecret(file_key)));
  // The stanza is HPKE OpenBase with the spec's info and empty aad.
  auto seed = id.Encode();
  ASSERT_OK(seed);
  auto decoded = Bech32Decode(RevealText(*seed), 4096);
  ASSERT_OK(decoded);
  auto sk = XWingPrivateKey::FromSeed(decoded->data);
  ASSERT_OK(sk);
  auto enc = Base64Decode(stanza->args[0], Base64Padding::kNone);
  ASSERT_OK(enc);
  auto opened = HpkeOpenBase(*enc, *sk, AsBytes("age-encryption.org/mlkem768x25519"), {},
                             stanza->body);
  ASSERT_OK(opened);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*opened), RevealSecret(file_key)));
  // Fresh randomness each time.
  auto again = r->Wrap(file_key, rng);
  ASSERT_OK(again);
  EXPECT_NE(again->args[0], stanza->args[0]);
  // Another hybrid identity, or an X25519 one: not a match.
  EXPECT_CODE(NewHybridIdentity(23).Unwrap(*stanza), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(NewX25519Identity(3).Unwrap(*stanza), ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(NewX25519Identity(3).CheckStanza(*stanza));
  // A hybrid identity ignores X25519 and scrypt stanzas.
  auto x = NewX25519Identity(3).Recipient();
  ASSERT_OK(x);
  auto xs = x->Wrap(file_key, rng);
  ASSERT_OK(xs);
  EXPECT_CODE(id.Unwrap(*xs), ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(id.CheckStanza(*xs));
  EXPECT_CODE(r->Wrap(SecretBytes(15), rng), ErrorCode::kInvalidArgument);
  // The same seed gives the same identity.
  auto same = NewHybridIdentity(21).Recipient();
  ASSERT_OK(same);
  EXPECT_EQ(same->public_key(), r->public_key());
}

TEST(AgeKeys, HybridStanzaRules) {
  const AgeIdentity id = NewHybridIdentity(21);
  auto r = id.Recipient();
  ASSERT_OK(r);
  ChaChaRng rng = TestRng(22);
  auto good = r->Wrap(FileKey(), rng);
  ASSERT_OK(good);
  auto with = [&](auto change) {
    AgeStanza s = *good;
    change(s);
    return s;
  };
  auto enc_of = [&](size_t size, uint8_t fill) {
    return Base64Encode(Bytes(size, fill), Base64Padding::kNone);
  };
  // P1: another type (case matters) is ignored.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.type = "MLKEM768X25519"; })),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(id.CheckStanza(with([](AgeStanza& s) { s.type = "MLKEM768X25519"; })));
  // P2: exactly one argument after the type.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args.push_back("x"); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args.clear(); })), ErrorCode::kMalformed);
  // P3: canonical unpadded base64.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.args[0] += "="; })), ErrorCode::kMalformed);
  AgeStanza nc = *good;
  const std::string_view alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  nc.args[0].back() = alphabet[alphabet.find(nc.args[0].back()) | 1];  // 1120 bytes: 4 spare bits
  EXPECT_CODE(id.Unwrap(nc), ErrorCode::kNonCanonical);
  EXPECT_CODE(id.CheckStanza(nc), ErrorCode::kNonCanonical);
  // P4: enc is 1120 bytes.
  EXPECT_CODE(id.Unwrap(with([&](AgeStanza& s) { s.args[0] = enc_of(1119, 1); })),
              ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([&](AgeStanza& s) { s.args[0] = enc_of(1121, 1); })),
              ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([&](AgeStanza& s) { s.args[0] = enc_of(32, 1); })),
              ErrorCode::kMalformed);
  // P5: the body is 32 bytes, checked before any key operation.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body.push_back(0); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body.pop_back(); })), ErrorCode::kMalformed);
  EXPECT_CODE(id.CheckStanza(with([](AgeStanza& s) { s.body.pop_back(); })), ErrorCode::kMalformed);
  // P6: an X25519 part of enc that gives an all-zero X25519 output.
  auto enc = Base64Decode(good->args[0], Base64Padding::kNone);
  ASSERT_OK(enc);
  Bytes zero = *enc;
  std::fill(zero.end() - 32, zero.end(), 0);
  EXPECT_CODE(
      id.Unwrap(with([&](AgeStanza& s) { s.args[0] = Base64Encode(zero, Base64Padding::kNone); })),
      ErrorCode::kWeakKey);
  EXPECT_OK(id.CheckStanza(with([&](AgeStanza& s) {
    s.args[0] = Base64Encode(zero, Base64Padding::kNone);
  })));  // grammar only: the weak share is found by the key operation
  // P7: the AEAD: a changed body, ML-KEM ciphertext or X25519 share.
  EXPECT_CODE(id.Unwrap(with([](AgeStanza& s) { s.body[5] ^= 1; })),
              ErrorCode::kNoMatchingRecipient);
  Bytes changed = *enc;
  changed[10] ^= 1;
  EXPECT_CODE(id.Unwrap(with(
                  [&](AgeStanza& s) { s.args[0] = Base64Encode(changed, Base64Padding::kNone); })),
              ErrorCode::kNoMatchingRecipient);
  changed = *enc;
  changed[1100] ^= 1;
  EXPECT_CODE(id.Unwrap(with(
                  [&](AgeStanza& s) { s.args[0] = Base64Encode(changed, Base64Padding::kNone); })),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_OK(id.CheckStanza(*good));
}

TEST(AgeKeys, ScryptWrapUnwrap) {
  auto r = AgeRecipient::Scrypt(Secret("correct horse"), 10);
  ASSERT_OK(r);
  EXPECT_EQ(r->kind(), AgeRecipient::Kind::kScrypt);
  EXPECT_EQ(r->ToString(), "");
  ChaChaRng rng = TestRng(4);
  auto stanza = r->Wrap(FileKey(), rng);
  ASSERT_OK(stanza);
  EXPECT_EQ(stanza->type, "scrypt");
  ASSERT_EQ(stanza->args.size(), 2U);
  EXPECT_EQ(stanza->args[0].size(), 22U);  // 16 bytes
  EXPECT_EQ(stanza->args[1], "10");
  auto id = AgeIdentity::Scrypt(Secret("correct horse"));
  ASSERT_OK(id);
  auto back = id->Unwrap(*stanza);
  ASSERT_OK(back);
  EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*back), RevealSecret(FileKey())));
  auto wrong = AgeIdentity::Scrypt(Secret("correct horsE"));
  ASSERT_OK(wrong);
  EXPECT_CODE(wrong->Unwrap(*stanza), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(id->Recipient(), ErrorCode::kInvalidArgument);
  EXPECT_CODE(id->Encode(), ErrorCode::kInvalidArgument);
  // An X25519 identity ignores scrypt stanzas and the reverse.
  EXPECT_CODE(NewX25519Identity(1).Unwrap(*stanza), ErrorCode::kNoMatchingRecipient);
  AgeStanza x = *stanza;
  x.type = "X25519";
  EXPECT_CODE(id->Unwrap(x), ErrorCode::kNoMatchingRecipient);
}

TEST(AgeKeys, ScryptStanzaRules) {
  auto r = AgeRecipient::Scrypt(Secret("pw"), 10);
  ASSERT_OK(r);
  ChaChaRng rng = TestRng(5);
  auto good = r->Wrap(FileKey(), rng);
  ASSERT_OK(good);
  auto id = AgeIdentity::Scrypt(Secret("pw"), 12);
  ASSERT_OK(id);
  auto with_wf = [&](std::string wf) {
    AgeStanza s = *good;
    s.args[1] = std::move(wf);
    return s;
  };
  for (const char* wf : {"", "0", "010", "+10", "-10", "0x0a", "10 ", "a10", "10a", "1e1", "1.0"}) {
    SCOPED_TRACE(wf);
    EXPECT_CODE(id->Unwrap(with_wf(wf)), ErrorCode::kMalformed);
  }
  // Above the identity's cap (12 here): kTooLarge, before any scrypt runs.
  for (const char* wf : {"13", "22", "23", "99", "100", "18446744073709551617"}) {
    SCOPED_TRACE(wf);
    EXPECT_CODE(id->Unwrap(with_wf(wf)), ErrorCode::kTooLarge);
  }
  // A work factor that is well-formed but not the one used: the key differs.
  EXPECT_CODE(id->Unwrap(with_wf("11")), ErrorCode::kNoMatchingRecipient);
  AgeStanza s = *good;
  s.args.pop_back();
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  s = *good;
  s.args.push_back("x");
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  s = *good;
  s.args[0] = Base64Encode(Bytes(15, 1), Base64Padding::kNone);
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  s.args[0] = Base64Encode(Bytes(17, 1), Base64Padding::kNone);
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  s.args[0] = Base64Encode(Bytes(16, 1), Base64Padding::kRequired);
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  s = *good;
  s.body.push_back(1);
  EXPECT_CODE(id->Unwrap(s), ErrorCode::kMalformed);
  // Constructors.
  EXPECT_CODE(AgeRecipient::Scrypt(SecretBytes(), 10), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeRecipient::Scrypt(Secret("pw"), 0), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeRecipient::Scrypt(Secret("pw"), kAgeScryptMaxLogN + 1),
              ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeIdentity::Scrypt(SecretBytes()), ErrorCode::kInvalidArgument);
  EXPECT_CODE(AgeIdentity::Scrypt(Secret("pw"), 0), ErrorCode::kInvalidArgument);
}

// ---- the file-level rules ------------------------------------------------------

struct Fixture {
  AgeIdentity alice = NewX25519Identity(10);
  AgeIdentity bob = NewX25519Identity(11);
  AgeIdentity carol = NewX25519Identity(12);
  ChaChaRng rng = TestRng(13);

  AgeStanza WrapFor(const AgeIdentity& id) {
    auto r = id.Recipient();
    MEDSEAL_CHECK(r.ok());
    auto s = r->Wrap(FileKey(), rng);
    MEDSEAL_CHECK(s.ok());
    return std::move(s).value();
  }
};

AgeHeader HeaderOf(std::vector<AgeStanza> stanzas) {
  AgeHeader h;
  h.stanzas = std::move(stanzas);
  return h;
}

AgeStanza Other(std::string type) {
  AgeStanza s;
  s.type = std::move(type);
  s.args = {"arg"};
  s.body = Bytes(32, 1);
  return s;
}

TEST(AgeFileKey, FindsTheMatchingStanzaAmongOthers) {
  Fixture f;
  const AgeHeader h =
      HeaderOf({Other("grease"), f.WrapFor(f.alice), f.WrapFor(f.bob), Other("example.com/x")});
  for (const AgeIdentity* id : {&f.alice, &f.bob}) {
    auto key = UnwrapAgeFileKey(h, std::span<const AgeIdentity>(id, 1));
    ASSERT_OK(key);
    EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*key), RevealSecret(FileKey())));
  }
  std::vector<AgeIdentity> ids = {f.carol, f.bob};
  EXPECT_OK(UnwrapAgeFileKey(h, ids));
  EXPECT_CODE(UnwrapAgeFileKey(h, std::span<const AgeIdentity>(&f.carol, 1)),
              ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(UnwrapAgeFileKey(h, {}), ErrorCode::kNoMatchingRecipient);
}

TEST(AgeFileKey, ScryptMustBeTheOnlyStanza) {
  Fixture f;
  auto r = AgeRecipient::Scrypt(Secret("pw"), 10);
  ASSERT_OK(r);
  auto s = r->Wrap(FileKey(), f.rng);
  ASSERT_OK(s);
  auto pw = AgeIdentity::Scrypt(Secret("pw"));
  ASSERT_OK(pw);
  std::vector<AgeIdentity> ids = {*pw};
  EXPECT_OK(UnwrapAgeFileKey(HeaderOf({*s}), ids));
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({*s, *s}), ids), ErrorCode::kMalformed);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({*s, Other("grease")}), ids), ErrorCode::kMalformed);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({Other("grease"), *s}), ids), ErrorCode::kMalformed);
  // Whatever the identities: even an X25519 identity that matches.
  std::vector<AgeIdentity> alice = {f.alice};
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({f.WrapFor(f.alice), *s}), alice), ErrorCode::kMalformed);
}

TEST(AgeFileKey, AMalformedStanzaOfAKnownTypeFailsTheFile) {
  Fixture f;
  AgeStanza bad = f.WrapFor(f.bob);
  bad.body.pop_back();
  std::vector<AgeIdentity> alice = {f.alice};
  // Before or after the stanza that matches.
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({bad, f.WrapFor(f.alice)}), alice), ErrorCode::kMalformed);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({f.WrapFor(f.alice), bad}), alice), ErrorCode::kMalformed);
  AgeStanza weak = f.WrapFor(f.bob);
  weak.args[0] = Base64Encode(Bytes(32, 0), Base64Padding::kNone);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({weak, f.WrapFor(f.alice)}), alice), ErrorCode::kWeakKey);
  // A stanza of a type no identity implements is ignored, however it looks.
  AgeStanza odd = Other("X25519x");
  odd.args = {"a", "b", "c"};
  EXPECT_OK(UnwrapAgeFileKey(HeaderOf({odd, f.WrapFor(f.alice)}), alice));
}

TEST(AgeFileKey, UnsupportedTypesAreReportedWhenNothingMatches) {
  Fixture f;
  std::vector<AgeIdentity> alice = {f.alice};
  for (const char* type : {"p256tag", "mlkem768p256tag"}) {
    SCOPED_TRACE(type);
    EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({Other(type), f.WrapFor(f.bob)}), alice),
                ErrorCode::kUnsupportedRecipient);
    EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({Other(type)}), {}), ErrorCode::kUnsupportedRecipient);
    // A stanza that does match wins over an unsupported one.
    EXPECT_OK(UnwrapAgeFileKey(HeaderOf({Other(type), f.WrapFor(f.alice)}), alice));
  }
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({Other("MLKEM768X25519")}), alice),
              ErrorCode::kNoMatchingRecipient);
  // The hybrid type is implemented: a hybrid stanza no identity opens is a
  // plain no match, also for X25519-only identities.
  const AgeIdentity pq = NewHybridIdentity(31);
  auto pq_r = pq.Recipient();
  ASSERT_OK(pq_r);
  auto hybrid = pq_r->Wrap(FileKey(), f.rng);
  ASSERT_OK(hybrid);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({*hybrid}), alice), ErrorCode::kNoMatchingRecipient);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({*hybrid}), {}), ErrorCode::kNoMatchingRecipient);
}

TEST(AgeFileKey, HybridAndX25519StanzasTogether) {
  Fixture f;
  AgeIdentity pq = NewHybridIdentity(31);
  auto pq_r = pq.Recipient();
  ASSERT_OK(pq_r);
  auto hybrid = pq_r->Wrap(FileKey(), f.rng);
  ASSERT_OK(hybrid);
  const AgeHeader h = HeaderOf({f.WrapFor(f.alice), Other("grease"), *hybrid});
  for (const AgeIdentity* id : {&f.alice, &pq}) {
    auto key = UnwrapAgeFileKey(h, std::span<const AgeIdentity>(id, 1));
    ASSERT_OK(key);
    EXPECT_TRUE(ConstantTimeEqual(RevealSecret(*key), RevealSecret(FileKey())));
  }
  std::vector<AgeIdentity> both = {f.carol, pq};
  EXPECT_OK(UnwrapAgeFileKey(h, both));
  // F2: a malformed hybrid stanza fails the file for a hybrid identity,
  // even after the stanza that matches; an X25519 identity ignores it.
  AgeStanza bad = *hybrid;
  bad.body.pop_back();
  std::vector<AgeIdentity> pq_only = {pq};
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({*hybrid, bad}), pq_only), ErrorCode::kMalformed);
  std::vector<AgeIdentity> alice = {f.alice};
  EXPECT_OK(UnwrapAgeFileKey(HeaderOf({f.WrapFor(f.alice), bad}), alice));
  // F3: a weak hybrid share ends the search.
  AgeStanza weak = *hybrid;
  auto enc = Base64Decode(weak.args[0], Base64Padding::kNone);
  ASSERT_OK(enc);
  std::fill(enc->end() - 32, enc->end(), 0);
  weak.args[0] = Base64Encode(*enc, Base64Padding::kNone);
  EXPECT_CODE(UnwrapAgeFileKey(HeaderOf({weak, *hybrid}), pq_only), ErrorCode::kWeakKey);
}

// Known answers: the CCTV X25519 and scrypt cases unwrap to their file key.
TEST(AgeFileKey, CctvFileKeys) {
  size_t n = 0;
  for (const testing::CctvCase& c : testing::LoadCctvCases()) {
    const std::set<std::string> known = {"x25519",
                                         "scrypt",
                                         "x25519_multiple_recipients",
                                         "hybrid",
                                         "hybrid_and_x25519",
                                         "hybrid_grease",
                                         "hybrid_no_match"};
    if (known.count(c.name) == 0) continue;
    SCOPED_TRACE(c.name);
    auto h = ParseAgeHeader(c.file);
    ASSERT_OK(h);
    std::vector<AgeIdentity> ids;
    for (const auto& s : c.identities) {
      auto id = AgeIdentity::Parse(s);
      ASSERT_OK(id);
      ids.push_back(std::move(id).value());
    }
    for (const auto& p : c.passphrases) {
      auto id = AgeIdentity::Scrypt(Secret(p));
      ASSERT_OK(id);
      ids.push_back(std::move(id).value());
    }
    auto key = UnwrapAgeFileKey(*h, ids);
    ++n;
    if (c.name == "hybrid_no_match") {  // another identity's stanza
      EXPECT_CODE(key, ErrorCode::kNoMatchingRecipient);
      continue;
    }
    ASSERT_OK(key);
    EXPECT_EQ(testing::HexOrDie(c.file_key_hex),
              Bytes(RevealSecret(*key).begin(), RevealSecret(*key).end()));
  }
  EXPECT_EQ(n, 7U);
  // The CCTV identity re-encodes to itself.
  auto id = AgeIdentity::Parse(kCctvIdentity);
  ASSERT_OK(id);
  auto text = id->Encode();
  ASSERT_OK(text);
  EXPECT_EQ(RevealText(*text), kCctvIdentity);
  // So does the CCTV hybrid identity.
  constexpr std::string_view kCctvHybrid =
      "AGE-SECRET-KEY-PQ-1HZLGZUPT4ETPKDEV8HSGFDCYZ4E522W0A7PU2LHT8EH9W6YLNC3SW78XKG";
  auto pq = AgeIdentity::Parse(kCctvHybrid);
  ASSERT_OK(pq);
  auto pq_text = pq->Encode();
  ASSERT_OK(pq_text);
  EXPECT_EQ(RevealText(*pq_text), kCctvHybrid);
}

}  // namespace
}  // namespace medseal

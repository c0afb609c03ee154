"""What the composer knows about things: what kind of thing a noun is, how big it is in the
world, where it rests, which way its picture faces, and which picture shows it.

WordsEye places objects at real-world scale and by the parts of them things rest on; this
table is that knowledge for the nouns people say most, written by hand (one row a noun). A
noun not here still gets a picture when an emoji or clip-art name says it (assets.py), with
a size from its category.

Columns of ``TABLE``: noun | other words for it | category | height in metres | where it
rests | picture | facing. Heights are what a person would guess: a cup 0.1, a man 1.75, a
giraffe 5, a lighthouse 25. Sky things (sun, moon, stars, planets) are far away: their
"height" is a share of the picture's height instead. Pictures: ``emoji:<hexcode>`` (OpenMoji),
``prop:<name>`` (drawn by props/), ``clipart:<noun>`` (the packaged Open Clip Art),
``person`` (people/), ``stage:<feature>`` (drawn by the setting: cliff, island, river…),
``svg:<name>`` (drawn for seespeech as SVG: data/drawings/, their rows in its index.tsv are
loaded here too). Facing is where the picture's front points: left, right or front.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

#: categories: person, animal, bird, water animal, insect, vehicle, boat, aircraft, building,
#: furniture, plant, tree, food, container, toy, thing, sky, landform, symbol
TABLE = """
# people (age, gender and role are read by the parser; people/ draws them)
person | human,somebody | person | 1.72 | ground | person | front
# land animals
horse | pony,stallion,mare,foal | animal | 1.6 | ground | emoji:1F40E | left
dog | puppy,hound,doggy,pup | animal | 0.55 | ground | emoji:1F415 | right
cat | kitten,kitty,pussycat | animal | 0.3 | ground | emoji:1F408 | right
cow | cattle,calf,bull,ox | animal | 1.5 | ground | emoji:1F404 | left
pig | piglet,hog | animal | 0.9 | ground | emoji:1F416 | right
sheep | lamb,ewe | animal | 0.9 | ground | emoji:1F411 | left
goat | kid goat | animal | 0.8 | ground | emoji:1F410 | right
rabbit | bunny,hare | animal | 0.3 | ground | emoji:1F407 | left
mouse | mice | animal | 0.07 | ground | emoji:1F401 | right
rat |  | animal | 0.1 | ground | emoji:1F400 | right
elephant |  | animal | 3.0 | ground | emoji:1F418 | left
giraffe |  | animal | 5.0 | ground | emoji:1F992 | left
lion | lioness | animal | 1.2 | ground | clipart:lion | right
tiger |  | animal | 1.0 | ground | clipart:tiger | right
leopard | cheetah,jaguar | animal | 0.9 | ground | emoji:1F406 | right
monkey | ape,chimpanzee | animal | 0.8 | ground | emoji:1F412 | right
gorilla |  | animal | 1.6 | ground | emoji:1F98D | front
bear | grizzly | animal | 1.5 | ground | clipart:bear | right
teddy bear | teddy | toy | 0.4 | ground | emoji:1F9F8 | front
fox |  | animal | 0.5 | ground | emoji:1F98A | front
wolf |  | animal | 0.85 | ground | emoji:1F43A | front
zebra |  | animal | 1.4 | ground | emoji:1F993 | left
deer | stag,doe,fawn,reindeer,moose | animal | 1.4 | ground | emoji:1F98C | right
camel | dromedary | animal | 2.0 | ground | emoji:1F42B | right
kangaroo |  | animal | 1.5 | ground | emoji:1F998 | right
squirrel | chipmunk | animal | 0.25 | ground | emoji:1F43F | left
hedgehog |  | animal | 0.2 | ground | emoji:1F994 | left
snail | slug | animal | 0.03 | ground | emoji:1F40C | right
turtle | tortoise | animal | 0.3 | ground | emoji:1F422 | right
snake | serpent | animal | 0.3 | ground | emoji:1F40D | front
frog | toad | animal | 0.08 | ground | emoji:1F438 | front
dinosaur | t rex,dino | animal | 5.0 | ground | emoji:1F996 | right
dragon |  | animal | 4.0 | ground | emoji:1F409 | right
unicorn |  | animal | 1.7 | ground | emoji:1F984 | right
lizard | gecko | animal | 0.1 | ground | emoji:1F98E | right
crocodile | alligator | animal | 0.6 | ground | emoji:1F40A | left
hippo | hippopotamus | animal | 1.5 | ground | emoji:1F99B | right
rhino | rhinoceros | animal | 1.7 | ground | emoji:1F98F | right
panda |  | animal | 1.0 | ground | emoji:1F43C | front
koala |  | animal | 0.7 | ground | emoji:1F428 | front
# birds
bird | sparrow,robin,songbird,birdie | bird | 0.15 | ground | emoji:1F426 | left
duck | duckling,mallard | bird | 0.4 | ground | emoji:1F986 | left
chicken | hen | bird | 0.4 | ground | emoji:1F414 | front
rooster | cockerel | bird | 0.6 | ground | emoji:1F413 | right
owl |  | bird | 0.35 | ground | emoji:1F989 | front
eagle | hawk,falcon | bird | 0.8 | ground | emoji:1F985 | front
parrot | macaw | bird | 0.5 | ground | emoji:1F99C | front
penguin |  | bird | 0.8 | ground | emoji:1F427 | front
swan |  | bird | 1.0 | water | emoji:1F9A2 | left
flamingo |  | bird | 1.3 | ground | emoji:1F9A9 | right
peacock |  | bird | 1.0 | ground | emoji:1F99A | front
dove | pigeon | bird | 0.3 | ground | emoji:1F54A | left
# water animals
fish | goldfish | water animal | 0.2 | water | emoji:1F41F | left
whale |  | water animal | 5.0 | water | emoji:1F40B | left
dolphin |  | water animal | 1.5 | water | emoji:1F42C | left
shark |  | water animal | 2.0 | water | emoji:1F988 | right
octopus |  | water animal | 0.6 | water | emoji:1F419 | front
crab |  | water animal | 0.15 | ground | emoji:1F980 | front
seal |  | water animal | 0.8 | water | emoji:1F9AD | left
jellyfish |  | water animal | 0.4 | water | emoji:1FABC | front
# insects
butterfly |  | insect | 0.08 | sky | emoji:1F98B | front
bee | bumblebee,wasp | insect | 0.03 | sky | emoji:1F41D | right
ladybug | ladybird | insect | 0.01 | ground | emoji:1F41E | front
spider |  | insect | 0.02 | ground | emoji:1F577 | front
ant |  | insect | 0.005 | ground | emoji:1F41C | left
# vehicles
car | automobile,sedan | vehicle | 1.5 | ground | emoji:1F697 | left
bus | coach | vehicle | 3.0 | ground | emoji:1F68C | right
truck | lorry,van | vehicle | 2.8 | ground | emoji:1F69A | right
tractor |  | vehicle | 2.5 | ground | emoji:1F69C | right
bicycle | bike,cycle | vehicle | 1.0 | ground | emoji:1F6B2 | right
motorcycle | motorbike | vehicle | 1.1 | ground | emoji:1F3CD | right
train | locomotive,railway engine,steam train | vehicle | 4.0 | ground | emoji:1F682 | left
tram | streetcar | vehicle | 3.2 | ground | emoji:1F68B | left
police car | patrol car | vehicle | 1.5 | ground | emoji:1F693 | left
fire truck | fire engine | vehicle | 3.0 | ground | emoji:1F692 | right
ambulance |  | vehicle | 2.6 | ground | emoji:1F691 | right
taxi | cab | vehicle | 1.5 | ground | emoji:1F695 | right
scooter |  | vehicle | 1.1 | ground | emoji:1F6F4 | front
skateboard |  | toy | 0.12 | ground | emoji:1F6F9 | front
cart | wagon,carriage,horse cart | vehicle | 1.4 | ground | prop:cart | left
# boats and aircraft
boat | rowboat,dinghy,rowing boat,fishing boat | boat | 0.9 | water | prop:rowboat | front
sailboat | sailing boat,yacht | boat | 8.0 | water | clipart:sailboat-2 | right
ship | ocean liner,liner,steamer,ferry,cruise ship,freighter,cargo ship | boat | 15.0 | water | prop:ship | left
canoe | kayak | boat | 0.8 | water | emoji:1F6F6 | left
plane | airplane,aeroplane,jet,aircraft | aircraft | 6.0 | sky | emoji:2708 | left
helicopter |  | aircraft | 4.0 | sky | emoji:1F681 | left
rocket | spaceship,spacecraft,space shuttle | aircraft | 40.0 | ground | emoji:1F680 | front
ufo | flying saucer | aircraft | 4.0 | sky | emoji:1F6F8 | front
hot air balloon |  | aircraft | 20.0 | sky | emoji:1F388 | front
kite |  | toy | 0.8 | sky | emoji:1FA81 | front
balloon |  | toy | 0.35 | held | emoji:1F388 | front
# buildings and big things
house | home,cottage | building | 7.0 | ground | emoji:1F3E0 | front
building | office,office building | building | 25.0 | ground | emoji:1F3E2 | front
skyscraper | tower block | building | 60.0 | ground | emoji:1F3D9 | front
school | schoolhouse | building | 9.0 | ground | emoji:1F3EB | front
hospital |  | building | 15.0 | ground | emoji:1F3E5 | front
church | chapel | building | 15.0 | ground | emoji:26EA | front
castle | palace,fortress | building | 25.0 | ground | emoji:1F3F0 | front
lighthouse |  | building | 22.0 | ground | clipart:lighthouse | front
barn | stable | building | 8.0 | ground | prop:barn | front
shop | store,bakery,market,grocery,supermarket,bookshop,cafe | building | 5.0 | ground | prop:shop | front
tent |  | building | 2.0 | ground | emoji:26FA | front
igloo |  | building | 2.5 | ground | emoji:1F6D6 | front
hut | cabin,shed | building | 3.5 | ground | emoji:1F6D6 | front
windmill |  | building | 15.0 | ground | clipart:windmill | front
fountain |  | building | 2.5 | ground | emoji:26F2 | front
bridge | footbridge | building | 4.0 | ground | prop:bridge | front
fence |  | thing | 1.2 | ground | prop:fence | front
well |  | thing | 1.8 | ground | prop:well | front
snowman | snow man | thing | 1.6 | ground | emoji:26C4 | front
scarecrow |  | thing | 1.8 | ground | prop:scarecrow | front
campfire | bonfire | thing | 1.0 | ground | prop:campfire | front
fire | flame,flames | thing | 0.8 | ground | emoji:1F525 | front
iceberg | icebergs,ice berg,ice floe | landform | 12.0 | water | prop:iceberg | front
rock | stone,boulder | landform | 0.6 | ground | emoji:1FAA8 | front
mountain | peak | landform | 800.0 | ground | emoji:1F3D4 | front
volcano |  | landform | 800.0 | ground | emoji:1F30B | front
# plants
tree | oak,maple | tree | 8.0 | ground | emoji:1F333 | front
pine | fir,pine tree,christmas tree | tree | 10.0 | ground | emoji:1F332 | front
palm | palm tree | tree | 9.0 | ground | emoji:1F334 | front
bush | shrub,hedge | plant | 1.0 | ground | prop:bush | front
flower | daisy,blossom | plant | 0.35 | ground | emoji:1F33C | front
rose |  | plant | 0.5 | ground | emoji:1F339 | front
tulip |  | plant | 0.4 | ground | emoji:1F337 | front
sunflower |  | plant | 1.8 | ground | emoji:1F33B | front
cactus |  | plant | 1.5 | ground | emoji:1F335 | front
mushroom | toadstool | plant | 0.12 | ground | emoji:1F344 | front
leaf |  | plant | 0.12 | ground | emoji:1F343 | front
branch | twig | plant | 0.3 | ground | prop:branch | front
potted plant | plant,houseplant | plant | 0.6 | ground | emoji:1FAB4 | front
grass |  | plant | 0.3 | ground | emoji:1F33F | front
# furniture and indoor things
table | kitchen table,dining table | furniture | 0.75 | ground | prop:table | front
desk |  | furniture | 0.75 | ground | prop:desk | front
chair | seat,stool | furniture | 0.9 | ground | emoji:1FA91 | front
sofa | couch,settee | furniture | 0.9 | ground | prop:sofa | front
bed |  | furniture | 0.9 | ground | emoji:1F6CF | front
crib | cot,cradle,baby bed | furniture | 1.0 | ground | prop:crib | front
hospital bed |  | furniture | 1.0 | ground | prop:hospital bed | front
bench | park bench | furniture | 0.85 | ground | prop:bench | front
blackboard | chalkboard,whiteboard,board | furniture | 1.2 | wall | prop:blackboard | front
bookshelf | bookcase,shelf,shelves | furniture | 1.8 | ground | prop:bookshelf | front
fireplace |  | furniture | 1.2 | ground | prop:fireplace | front
stove | oven,cooker | furniture | 0.9 | ground | prop:stove | front
lamp | desk lamp,table lamp | thing | 0.5 | table | clipart:lamp | front
door |  | thing | 2.1 | ground | emoji:1F6AA | front
window |  | thing | 1.2 | wall | emoji:1FA9F | front
clock |  | thing | 0.35 | wall | emoji:1F570 | front
picture | painting,frame | thing | 0.6 | wall | emoji:1F5BC | front
television | tv | thing | 0.7 | table | emoji:1F4FA | front
computer | pc | thing | 0.45 | table | emoji:1F4BB | front
laptop |  | thing | 0.25 | table | emoji:1F4BB | front
phone | telephone,smartphone,mobile | thing | 0.15 | table | emoji:1F4F1 | front
piano |  | instrument | 1.2 | ground | emoji:1F3B9 | front
guitar |  | instrument | 1.0 | held | emoji:1F3B8 | front
violin | fiddle | instrument | 0.6 | held | emoji:1F3BB | front
drum |  | instrument | 0.5 | ground | emoji:1F941 | front
trumpet |  | instrument | 0.5 | held | emoji:1F3BA | front
# containers, tools, small things
box | crate,carton,cardboard box | container | 0.45 | ground | prop:open box | front
parcel | package | container | 0.4 | ground | emoji:1F4E6 | front
basket |  | container | 0.35 | held | emoji:1F9FA | front
bucket | pail | container | 0.35 | ground | emoji:1FAA3 | front
bag | handbag,purse | container | 0.35 | held | emoji:1F45C | front
backpack | rucksack,schoolbag | container | 0.5 | held | emoji:1F392 | front
bowl | dish of soup | container | 0.15 | table | emoji:1F963 | front
cup | mug,coffee,tea,cup of coffee,cup of tea | container | 0.12 | table | emoji:2615 | front
glass |  | container | 0.14 | table | emoji:1F95B | front
bottle |  | container | 0.3 | table | emoji:1F37C | front
teapot | kettle | container | 0.25 | table | emoji:1FAD6 | front
pot | saucepan,pan | container | 0.25 | table | emoji:1F372 | front
plate | dish | container | 0.04 | table | emoji:1F37D | front
vase |  | container | 0.35 | table | emoji:1F3FA | front
treasure chest | chest,treasure | container | 0.6 | ground | emoji:1FA8E | front
aquarium | fish tank,fishbowl,fish bowl,goldfish bowl | container | 0.45 | table | prop:aquarium | front
cage | birdcage | container | 0.6 | table | prop:cage | front
nest | bird nest | container | 0.2 | ground | emoji:1FAB9 | front
book | storybook,novel | thing | 0.25 | held | emoji:1F4D6 | front
umbrella | parasol | thing | 1.0 | held | emoji:2602 | front
ball | football,soccer ball,beach ball | toy | 0.22 | ground | emoji:26BD | front
basketball |  | toy | 0.24 | ground | emoji:1F3C0 | front
doll |  | toy | 0.35 | held | emoji:1FA86 | front
robot |  | toy | 1.5 | ground | emoji:1F916 | front
key |  | thing | 0.08 | held | emoji:1F511 | front
hat | cap | thing | 0.2 | held | emoji:1F3A9 | front
crown |  | thing | 0.15 | held | emoji:1F451 | front
sword |  | thing | 0.9 | held | emoji:1F5E1 | front
fishing rod | fishing pole | thing | 2.0 | held | emoji:1F3A3 | front
candle |  | thing | 0.2 | table | emoji:1F56F | front
gift | present | thing | 0.3 | ground | emoji:1F381 | front
bell |  | thing | 0.25 | held | emoji:1F514 | front
shell | seashell | thing | 0.08 | ground | emoji:1F41A | front
feather |  | thing | 0.15 | held | emoji:1FAB6 | front
log | wood,firewood | thing | 0.4 | ground | emoji:1FAB5 | front
ladder |  | thing | 2.5 | ground | prop:ladder | front
swing |  | thing | 2.2 | ground | prop:swing | front
slide |  | thing | 2.0 | ground | prop:slide | front
mailbox | letterbox,postbox | thing | 1.2 | ground | prop:mailbox | front
lamp post | street lamp,streetlight,street light | thing | 4.0 | ground | prop:lamp post | front
sled | sledge,sleigh | thing | 0.3 | ground | prop:sled | front
wheelbarrow |  | thing | 0.7 | ground | prop:wheelbarrow | front
# food
apple |  | food | 0.08 | table | emoji:1F34E | front
banana |  | food | 0.18 | table | emoji:1F34C | front
orange |  | food | 0.08 | table | emoji:1F34A | front
pear |  | food | 0.1 | table | emoji:1F350 | front
grapes | grape | food | 0.15 | table | emoji:1F347 | front
strawberry |  | food | 0.04 | table | emoji:1F353 | front
cherry |  | food | 0.03 | table | emoji:1F352 | front
watermelon |  | food | 0.25 | table | emoji:1F349 | front
carrot |  | food | 0.18 | table | emoji:1F955 | front
egg |  | food | 0.06 | table | emoji:1F95A | front
bread | loaf,baguette | food | 0.12 | table | emoji:1F35E | front
cake | birthday cake | food | 0.15 | table | emoji:1F382 | front
cookie | biscuit | food | 0.02 | table | emoji:1F36A | front
sandwich |  | food | 0.08 | table | emoji:1F96A | front
pizza |  | food | 0.04 | table | emoji:1F355 | front
cheese |  | food | 0.08 | table | emoji:1F9C0 | front
ice cream | ice cream cone | food | 0.18 | held | emoji:1F366 | front
hamburger | burger | food | 0.1 | table | emoji:1F354 | front
soup |  | food | 0.1 | table | emoji:1F372 | front
# sky things (height: share of the picture's height, not metres)
sun |  | sky | 0.16 | sky | emoji:2600 | front
moon |  | sky | 0.14 | sky | emoji:1F319 | front
star |  | sky | 0.07 | sky | emoji:2B50 | front
cloud |  | sky | 0.16 | sky | emoji:2601 | front
rainbow |  | sky | 0.35 | sky | emoji:1F308 | front
planet | saturn | sky | 0.22 | sky | emoji:1FA90 | front
earth | globe,world | sky | 0.2 | sky | emoji:1F30D | front
comet |  | sky | 0.14 | sky | emoji:2604 | front
lightning | lightning bolt,thunderbolt | sky | 0.25 | sky | emoji:26A1 | front
# symbols for speech that is not a scene (illustrate.py); emblems float like sky things
flag | banner | symbol | 0.3 | sky | emoji:1F3F3 | front
flag:us | american flag,us flag,stars and stripes | symbol | 0.32 | sky | emoji:1F1FA-1F1F8 | front
map | world map,atlas | symbol | 0.26 | sky | emoji:1F5FA | front
coin | coins | symbol | 0.16 | sky | emoji:1FA99 | front
money bag | moneybag,sack of money | symbol | 0.2 | sky | emoji:1F4B0 | front
chart | graph | symbol | 0.2 | sky | emoji:1F4C8 | front
heart |  | symbol | 0.2 | sky | emoji:2764 | front
calendar |  | symbol | 0.2 | sky | emoji:1F4C5 | front
briefcase |  | symbol | 0.18 | sky | emoji:1F4BC | front
microscope |  | symbol | 0.2 | sky | emoji:1F52C | front
stethoscope |  | symbol | 0.2 | sky | emoji:1FA7A | front
books |  | symbol | 0.2 | sky | emoji:1F4DA | front
ballot box |  | symbol | 0.2 | sky | emoji:1F5F3 | front
scales |  | symbol | 0.2 | sky | emoji:2696 | front
classical building | parliament,capitol | building | 20.0 | ground | emoji:1F3DB | front
light bulb | bulb | symbol | 0.18 | sky | emoji:1F4A1 | front
musical notes | notes | symbol | 0.18 | sky | emoji:1F3B6 | front
family |  | symbol | 0.26 | sky | emoji:1F46A | front
# setting features the stage draws; listed as objects when said
cliff | cliffs | landform | 30.0 | ground | stage:cliff | front
island |  | landform | 3.0 | ground | stage:island | front
river | stream,creek | landform | 1.0 | ground | stage:river | front
lake | pond,pool | landform | 1.0 | ground | stage:lake | front
counter | kitchen counter,worktop | furniture | 0.9 | ground | stage:counter | front
"""

#: sizes by category for nouns found only by their emoji or clip-art name (metres)
CATEGORY_HEIGHT = {
    "person": 1.72, "animal": 0.8, "bird": 0.3, "water animal": 0.8, "insect": 0.03, "vehicle": 1.8,
    "boat": 3.0, "aircraft": 6.0, "building": 10.0, "furniture": 0.9, "plant": 0.5, "tree": 8.0,
    "food": 0.1, "container": 0.3, "toy": 0.3, "thing": 0.4, "sky": 0.14, "landform": 2.0, "symbol": 0.5,
    "instrument": 0.8,
}
#: where things of a category rest when the table does not say
CATEGORY_RESTS = {"sky": "sky", "water animal": "water", "boat": "water", "aircraft": "sky", "food": "table"}
#: categories that can be held in a hand
HOLDABLE = {"food", "container", "toy", "thing", "instrument", "insect", "plant"}


@dataclass(frozen=True)
class Entry:
    noun: str
    category: str
    height: float        # metres (sky: a share of the picture's height)
    rests: str           # ground | sky | water | table | wall | held
    picture: str         # emoji:<hex> | prop:<name> | clipart:<noun> | person | stage:<feature> | svg:<name>
    facing: str = "front"
    synonyms: tuple[str, ...] = ()

    @property
    def holdable(self) -> bool:
        return self.category in HOLDABLE and self.height <= 1.2


def _parse(table: str) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for line in table.strip().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        noun, synonyms, category, height, rests, picture, facing = (c.strip() for c in line.split("|"))
        words = tuple(s.strip() for s in synonyms.split(",") if s.strip())
        entries[noun] = Entry(noun, category, float(height), rests, picture, facing, words)
    return entries


#: words of TABLE whose picture was a poor match and the drawing of that word replaces (a baby
#: bottle for "bottle", an amphora for "vase", a desktop-like emoji for "laptop", the stove for
#: "oven", an ornate Tiffany lamp for "lamp"); a drawing of any other word TABLE already has
#: (bench, potted plant, dining table, handbag…) is not used for it: TABLE's picture is right
DRAWN_INSTEAD = {"bottle", "vase", "laptop", "oven", "lamp"}


def _with_drawings(entries: dict[str, Entry]) -> dict[str, Entry]:
    """TABLE's entries and the drawings' (data/drawings/index.tsv) as ``svg:<name>`` entries."""
    from seespeech.pictures import drawings

    entries = dict(entries)
    owner = {word: noun for noun, e in entries.items() for word in (noun, *e.synonyms)}
    for d in drawings.index().values():
        if d.name in owner and d.name not in DRAWN_INSTEAD:
            continue   # TABLE's picture of this word is right
        taken = [w for w in (d.name, *d.synonyms) if w not in owner or w in DRAWN_INSTEAD]
        synonyms = list(taken[1:])
        for word in taken:
            noun = owner.get(word)
            if noun is None or noun not in entries:
                continue
            old = entries.pop(noun)
            if noun == word:   # the drawing replaces the whole row; its other words come along
                synonyms += [w for w in old.synonyms if w not in synonyms and w != d.name]
            else:              # the drawing takes one of the row's words
                entries[noun] = Entry(old.noun, old.category, old.height, old.rests, old.picture, old.facing,
                                      tuple(w for w in old.synonyms if w != word))
        for word in (d.name, *synonyms):
            owner[word] = d.name
        entries[d.name] = Entry(d.name, d.category, d.height, d.rests, f"svg:{d.name}", d.facing,
                                tuple(synonyms))
    return entries


ENTRIES = _with_drawings(_parse(TABLE))


@lru_cache(maxsize=1)
def _by_word() -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for entry in ENTRIES.values():
        for word in (entry.noun, *entry.synonyms):
            found.setdefault(word, entry)
    return found


def lookup(noun: str) -> Entry | None:
    """The entry for a noun or one of its other words ("puppy" → dog)."""
    return _by_word().get(noun.lower())


def phrases() -> set[str]:
    """Every word and phrase of the table (multi-word nouns stay one object: "fire truck")."""
    return set(_by_word())


def height_of(noun: str, category: str | None = None) -> float:
    entry = lookup(noun)
    if entry is not None:
        return entry.height
    return CATEGORY_HEIGHT.get(category or "thing", 0.4)

"""Everyday picture requests and what a picture of each must show (issue 17's test set).

Not our scene tests (tests/scenes.py): requests people make that the composer was not built
around — people with roles, actions said with verbs, settings, weather, counts, things of very
different sizes, speech that is not a scene, long transcripts, other languages.

Each case: ``text``; ``objects``: noun → count drawn (the noun as the plan names it);
``assets``: noun → a word the asset's name must contain (default: the noun itself);
``people``: noun → what the person figure must be ({"age": …, "role": …});
``relations``: (subject noun, relation, object noun), checked on the plan's boxes by
tests/everyday_check.py (the test's own geometry, not the engine's); ``place`` / ``time`` /
``weather``; ``absent``: words no drawn asset may be (the wrong guesses of old: astronaut →
rocket); ``mode``: "illustration" for speech that is not a scene, with ``symbols``: word →
words one of which the plan must say it was drawn as; ``max_objects`` for long speech.
"""

JFK = ("And so, my fellow Americans: ask not what your country can do for you, ask what you can do "
       "for your country.")

STORY = (
    "Once upon a time a little girl lived in a small house next to a lake. Every morning she walked "
    "to the lake with her dog. One day she found an old boat on the shore. The girl and the dog "
    "climbed into the boat and rowed across the lake. The sun was shining and ducks were swimming "
    "near the boat. Suddenly dark clouds came and it started to rain. The girl was a little scared, "
    "but the dog barked happily. They rowed back to the shore as fast as they could. When they came "
    "home, her mother made hot chocolate and the girl told her all about the boat, the ducks and "
    "the storm. The next day the sun came back and the girl and her dog went to the lake again, "
    "because an adventure is always better with a friend. Her grandfather fixed the boat, painted "
    "it red, and the girl named it Sunny. In the evening they watched the moon over the water and "
    "listened to the frogs.")

CASES = [
    # ---------------------------------------------------------------- people
    dict(id="children_snowman", kind="people", text="two children building a snowman",
         objects={"child": 2, "snowman": 1}, people={"child": {"age": "child"}},
         relations=[("child", "beside", "snowman")], place="snow"),
    dict(id="baby_crib", kind="people", text="a baby sleeping in a crib",
         objects={"baby": 1, "crib": 1}, people={"baby": {"age": "baby"}}, relations=[("baby", "in", "crib")]),
    dict(id="old_man_bench", kind="people", text="an old man reading a book on a bench",
         objects={"man": 1, "book": 1, "bench": 1}, people={"man": {"age": "old"}},
         relations=[("man", "on", "bench"), ("man", "holding", "book")]),
    dict(id="old_woman_birds", kind="people", text="an old woman feeding birds in the park",
         objects={"woman": 1, "bird": 2}, people={"woman": {"age": "old"}}, place="park"),
    dict(id="doctor_boy", kind="people", text="a doctor talking to a boy in a hospital",
         objects={"doctor": 1, "boy": 1}, people={"doctor": {"role": "doctor"}, "boy": {"age": "child"}},
         relations=[("doctor", "beside", "boy")], place="hospital"),
    dict(id="chef_kitchen", kind="people", text="a chef cooking in the kitchen",
         objects={"chef": 1}, people={"chef": {"role": "chef"}}, place="kitchen", absent=["frying pan", "cooking"]),
    dict(id="farmer_cows", kind="people", text="a farmer with three cows on a farm",
         objects={"farmer": 1, "cow": 3}, people={"farmer": {"role": "farmer"}}, place="farm"),
    dict(id="fisherman_boat", kind="people", text="a fisherman in a boat on a lake",
         objects={"fisherman": 1, "boat": 1}, people={"fisherman": {"role": "fisherman"}},
         relations=[("fisherman", "in", "boat")], place="lake", absent=["fish"]),
    dict(id="pirate_chest", kind="people", text="a pirate standing next to a treasure chest on an island",
         objects={"pirate": 1, "treasure chest": 1}, assets={"treasure chest": "chest"},
         people={"pirate": {"role": "pirate"}}, relations=[("pirate", "beside", "treasure chest")], place="island"),
    dict(id="wizard_forest", kind="people", text="a wizard in the forest at night",
         objects={"wizard": 1}, people={"wizard": {"role": "wizard"}}, place="forest", time="night"),
    dict(id="police_car", kind="people", text="a police officer next to a police car in the city",
         objects={"police officer": 1, "police car": 1}, people={"police officer": {"role": "police officer"}},
         relations=[("police officer", "beside", "police car")], place="city"),
    dict(id="firefighters_truck", kind="people", text="two firefighters next to a fire truck",
         objects={"firefighter": 2, "fire truck": 1}, assets={"fire truck": "fire engine"},
         people={"firefighter": {"role": "firefighter"}}, relations=[("firefighter", "beside", "fire truck")]),
    dict(id="teacher_blackboard", kind="people", text="a teacher in front of a blackboard in a classroom",
         objects={"teacher": 1, "blackboard": 1}, people={"teacher": {"role": "teacher"}},
         relations=[("teacher", "in front of", "blackboard")], place="classroom"),
    dict(id="couple_dog", kind="people", text="a man and a woman walking a dog",
         objects={"man": 1, "woman": 1, "dog": 1}, people={"man": {"age": "adult"}, "woman": {"age": "adult"}},
         relations=[("man", "beside", "dog")]),
    dict(id="girl_grandmother_cake", kind="people", text="a girl and her grandmother baking a cake in the kitchen",
         objects={"girl": 1, "grandmother": 1, "cake": 1}, people={"girl": {"age": "child"},
                                                                  "grandmother": {"age": "old"}}, place="kitchen"),
    dict(id="children_football", kind="people", text="five children playing football in a field",
         objects={"child": 5, "football": 1}, assets={"football": "ball"}, people={"child": {"age": "child"}}),
    dict(id="astronaut_alone", kind="people", text="an astronaut floating in space",
         objects={"astronaut": 1}, people={"astronaut": {"role": "astronaut"}}, place="space", absent=["rocket"]),
    dict(id="nurse_baby", kind="people", text="a nurse holding a baby",
         objects={"nurse": 1, "baby": 1}, people={"nurse": {"role": "nurse"}}, relations=[("nurse", "holding", "baby")]),
    # ---------------------------------------------------------------- actions and relations
    dict(id="astronaut_horse_moon", kind="action", text="an astronaut riding a horse on the moon",
         objects={"astronaut": 1, "horse": 1}, people={"astronaut": {"role": "astronaut"}},
         relations=[("astronaut", "riding", "horse")], place="moon", absent=["rocket"]),
    dict(id="girl_bicycle_bakery", kind="action", text="a girl riding a bicycle past a bakery",
         objects={"girl": 1, "bicycle": 1, "bakery": 1}, assets={"bakery": "shop"},
         relations=[("girl", "riding", "bicycle"), ("bicycle", "in front of", "bakery")]),
    dict(id="boy_balloon", kind="action", text="a boy holding a red balloon",
         objects={"boy": 1, "balloon": 1}, relations=[("boy", "holding", "balloon")], colours={"balloon": "red"}),
    dict(id="woman_basket", kind="action", text="a woman carrying a basket",
         objects={"woman": 1, "basket": 1}, relations=[("woman", "holding", "basket")]),
    dict(id="cat_sofa", kind="action", text="a cat sleeping on a sofa",
         objects={"cat": 1, "sofa": 1}, relations=[("cat", "on", "sofa")]),
    dict(id="dog_chasing_cat", kind="action", text="a dog chasing a cat",
         objects={"dog": 1, "cat": 1}, relations=[("dog", "following", "cat")]),
    dict(id="bird_over_house", kind="action", text="a bird flying over a house",
         objects={"bird": 1, "house": 1}, relations=[("bird", "above", "house")]),
    dict(id="ducks_pond", kind="action", text="three ducks swimming in a pond",
         objects={"duck": 3}, place="lake"),
    dict(id="girl_watering", kind="action", text="a girl watering flowers in the garden",
         objects={"girl": 1, "flower": 2}, relations=[("girl", "beside", "flower")], place="garden"),
    dict(id="boy_reading_tree", kind="action", text="a boy reading a book under a tree",
         objects={"boy": 1, "book": 1, "tree": 1}, relations=[("boy", "under", "tree"), ("boy", "holding", "book")]),
    dict(id="man_sandwich_table", kind="action", text="a man eating a sandwich at a table",
         objects={"man": 1, "sandwich": 1, "table": 1}, relations=[("man", "beside", "table")]),
    dict(id="train_bridge_river", kind="action", text="a train crossing a bridge over a river",
         objects={"train": 1, "bridge": 1}, relations=[("train", "crossing", "bridge")], place="river"),
    dict(id="mouse_box", kind="action", text="a mouse hiding behind a box",
         objects={"mouse": 1, "box": 1}, relations=[("mouse", "behind", "box")]),
    dict(id="horse_cart", kind="action", text="a horse pulling a cart",
         objects={"horse": 1, "cart": 1}, relations=[("cart", "following", "horse")]),
    dict(id="cat_in_box", kind="action", text="a cat inside a box",
         objects={"cat": 1, "box": 1}, relations=[("cat", "in", "box")]),
    dict(id="plane_mountains", kind="action", text="a plane flying over the mountains",
         objects={"plane": 1}, assets={"plane": "airplane"}, place="mountains"),
    dict(id="penguin_ice", kind="action", text="a penguin standing on the ice",
         objects={"penguin": 1}, place="snow"),
    dict(id="frog_rock", kind="action", text="a frog sitting on a rock by the pond",
         objects={"frog": 1, "rock": 1}, relations=[("frog", "on", "rock")], place="lake"),
    dict(id="monkey_tree", kind="action", text="a monkey sitting in a tree",
         objects={"monkey": 1, "tree": 1}, relations=[("monkey", "in", "tree")]),
    dict(id="kids_kite_beach", kind="action", text="two kids flying a kite on the beach",
         objects={"kid": 2, "kite": 1}, people={"kid": {"age": "child"}}, relations=[("kite", "above", "kid")],
         place="beach"),
    # ---------------------------------------------------------------- scale and close-ups
    dict(id="snail_mushroom", kind="scale", text="a snail on a mushroom",
         objects={"snail": 1, "mushroom": 1}, relations=[("snail", "on", "mushroom")], min_area={"snail": 0.02}),
    dict(id="cup_of_coffee", kind="scale", text="a cup of coffee", objects={"cup": 1}, min_area={"cup": 0.08}),
    dict(id="giraffe_man", kind="scale", text="a giraffe next to a man",
         objects={"giraffe": 1, "man": 1}, relations=[("giraffe", "beside", "man")], taller={("giraffe", "man"): 2.0}),
    dict(id="cup_laptop", kind="scale", text="a cup next to a laptop",
         objects={"cup": 1, "laptop": 1}, relations=[("cup", "beside", "laptop")], larger={("laptop", "cup"): 1.5}),
    dict(id="ladybug_leaf", kind="scale", text="a ladybug on a leaf",
         objects={"ladybug": 1, "leaf": 1}, relations=[("ladybug", "on", "leaf")]),
    dict(id="elephant_mouse", kind="scale", text="an elephant and a mouse",
         objects={"elephant": 1, "mouse": 1}, taller={("elephant", "mouse"): 3.0}),
    # ---------------------------------------------------------------- settings
    dict(id="lighthouse_cliff_storm", kind="setting", text="a lighthouse on a cliff during a storm",
         objects={"lighthouse": 1, "cliff": 1}, relations=[("lighthouse", "on", "cliff")], place="cliff",
         weather=["storm"]),
    dict(id="house_island", kind="setting", text="a house on an island",
         objects={"house": 1, "island": 1}, relations=[("house", "on", "island")], place="island"),
    dict(id="tent_mountains", kind="setting", text="a tent in the mountains", objects={"tent": 1}, place="mountains"),
    dict(id="camel_desert", kind="setting", text="a camel in the desert", objects={"camel": 1}, place="desert"),
    dict(id="bus_street", kind="setting", text="a bus on a city street", objects={"bus": 1}, place="city"),
    dict(id="rocket_moon_space", kind="setting", text="a rocket in space next to the moon",
         objects={"rocket": 1, "moon": 1}, relations=[("rocket", "beside", "moon")], place="space"),
    dict(id="horses_farm", kind="setting", text="two horses on a farm", objects={"horse": 2}, place="farm"),
    dict(id="sailboat_sunset", kind="setting", text="a sailboat on the sea at sunset",
         objects={"sailboat": 1}, place="sea", time="sunset"),
    dict(id="swan_lake", kind="setting", text="a swan on a lake", objects={"swan": 1}, place="lake"),
    dict(id="table_chairs_kitchen", kind="setting", text="a table with two chairs in the kitchen",
         objects={"table": 1, "chair": 2}, relations=[("chair", "beside", "table")], place="kitchen"),
    dict(id="cat_bed_bedroom", kind="setting", text="a cat on a bed in the bedroom",
         objects={"cat": 1, "bed": 1}, relations=[("cat", "on", "bed")], place="bedroom"),
    dict(id="dog_living_room", kind="setting", text="a dog in the living room", objects={"dog": 1},
         place="living room"),
    dict(id="nurse_bed_hospital", kind="setting", text="a nurse next to a bed in the hospital",
         objects={"nurse": 1, "bed": 1}, people={"nurse": {"role": "nurse"}}, relations=[("nurse", "beside", "bed")],
         place="hospital"),
    dict(id="teacher_classroom", kind="setting", text="a teacher in a classroom",
         objects={"teacher": 1}, people={"teacher": {"role": "teacher"}}, place="classroom"),
    dict(id="girl_bakery", kind="setting", text="a girl in front of a bakery",
         objects={"girl": 1, "bakery": 1}, assets={"bakery": "shop"}, relations=[("girl", "in front of", "bakery")]),
    dict(id="rabbit_garden", kind="setting", text="a rabbit in the garden", objects={"rabbit": 1}, place="garden"),
    dict(id="deer_forest_night", kind="setting", text="a deer in the forest at night", objects={"deer": 1},
         place="forest", time="night"),
    dict(id="crab_beach", kind="setting", text="a crab on the beach", objects={"crab": 1}, place="beach"),
    dict(id="bridge_river", kind="setting", text="a bridge over a river", objects={"bridge": 1}, place="river"),
    dict(id="castle_hill", kind="setting", text="a castle on a hill", objects={"castle": 1}),
    # ---------------------------------------------------------------- weather and time
    dict(id="house_rain", kind="weather", text="a house in the rain", objects={"house": 1}, weather=["rain"],
         absent=["rain"]),
    dict(id="man_umbrella_rain", kind="weather", text="a man with an umbrella in the rain",
         objects={"man": 1, "umbrella": 1}, relations=[("man", "holding", "umbrella")], weather=["rain"]),
    dict(id="children_snow", kind="weather", text="children playing in the snow",
         objects={"child": 2}, place="snow", weather=["snow"]),
    dict(id="ship_storm", kind="weather", text="a ship in a storm at sea", objects={"ship": 1}, place="sea",
         weather=["storm"]),
    dict(id="forest_fog", kind="weather", text="a fox in the forest on a foggy morning", objects={"fox": 1},
         place="forest", weather=["fog"]),
    dict(id="kite_windy", kind="weather", text="a kite on a windy day", objects={"kite": 1}, weather=["wind"]),
    dict(id="owl_branch_night", kind="weather", text="an owl on a branch at night",
         objects={"owl": 1, "branch": 1}, relations=[("owl", "on", "branch")], time="night"),
    dict(id="tractor_farm_sunset", kind="weather", text="a tractor on a farm at sunset",
         objects={"tractor": 1}, place="farm", time="sunset"),
    # ---------------------------------------------------------------- counts
    dict(id="cats_sofa", kind="count", text="three cats on a sofa", objects={"cat": 3, "sofa": 1}, relations=[("cat", "on", "sofa")]),
    dict(id="children_dog", kind="count", text="two children and a dog", objects={"child": 2, "dog": 1}),
    dict(id="birds_sky", kind="count", text="seven birds in the sky", objects={"bird": 7}),
    dict(id="boats_lake", kind="count", text="four boats on a lake", objects={"boat": 4}, place="lake"),
    dict(id="apples_table", kind="count", text="five apples on a table", objects={"apple": 5, "table": 1},
         relations=[("apple", "on", "table")]),
    dict(id="eggs_basket", kind="count", text="six eggs in a basket", objects={"egg": 6, "basket": 1},
         relations=[("egg", "in", "basket")]),
    # ---------------------------------------------------------------- speech that is not a scene
    dict(id="jfk", kind="abstract", text=JFK, mode="illustration",
         symbols={"americans": ["flag", "people", "person"], "country": ["map", "flag", "landscape"]}),
    dict(id="welcome", kind="abstract", text="Good morning everyone and welcome to our meeting.",
         mode="illustration", symbols={"everyone": ["people", "person"]}),
    dict(id="thank_you", kind="abstract", text="Thank you all so much for coming tonight.",
         mode="illustration", symbols={"thank": ["heart", "people", "person"]}),
    dict(id="economy", kind="abstract", text="The economy grew last year and families earned more money.",
         mode="illustration", symbols={"money": ["coin", "money"], "families": ["family", "people"]}),
    dict(id="moon_decade", kind="abstract", text="We choose to go to the moon in this decade and do the other things.",
         mode="illustration", symbols={"moon": ["moon"]}),
    dict(id="dream_children", kind="abstract",
         text="I have a dream that my four little children will one day live in a nation where they will be judged "
              "by the content of their character.",
         mode="illustration", symbols={"children": ["child", "people"], "nation": ["flag", "map", "landscape"]}),
    # ---------------------------------------------------------------- long speech
    dict(id="jfk_nine", kind="long", text=" ".join([JFK] * 9), mode="illustration", max_objects=6,
         symbols={"americans": ["flag", "people", "person"]}),
    dict(id="story", kind="long", text=STORY, max_objects=6, objects_any=["girl", "dog", "boat", "lake"],
         left_out=True),
]

#: non-English requests: the translation Whisper gives is what the composer draws; these are
#: the English texts (the spoken clips are made in the test with espeak-ng when it is there)
TRANSLATED = [
    dict(id="es_cat_chair", kind="translated", language="es", said="Un gato negro duerme en una silla.",
         text="A black cat sleeps on a chair.", objects={"cat": 1, "chair": 1}, relations=[("cat", "on", "chair")],
         colours={"cat": "black"}),
    dict(id="de_children_snow", kind="translated", language="de", said="Zwei Kinder spielen im Schnee.",
         text="Two children play in the snow.", objects={"child": 2}, place="snow"),
    dict(id="fr_boat_sunset", kind="translated", language="fr", said="Un bateau sur la mer au coucher du soleil.",
         text="A boat on the sea at sunset.", objects={"boat": 1}, place="sea", time="sunset"),
    dict(id="it_dog_park", kind="translated", language="it", said="Un cane corre nel parco.",
         text="A dog runs in the park.", objects={"dog": 1}, place="park"),
]

ALL_CASES = CASES + TRANSLATED

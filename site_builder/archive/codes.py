"""Documentation of the yearly-archive codes (A6xx), for `site-builder rules`.

Imported by the check stage so that every code an editor can meet is explained.
"""

from ..check.registry import document

document("A601", "要归档的年度没有记录", explanation="""
site-builder archive 年度 把这一年度已生成的网页冻结为归档。content/ 中没有这一年度的记录时无从归档。""",
         wrong="site-builder archive 2032", right="site-builder archive 2023")
document("A602", "该年度已经归档", explanation="""
归档一经生成就不再改变：已公开的归档页面必须保持公开时的样子。再次归档同一年度会被拒绝。
确需更正时使用 --supersede 并写明原因：原归档作为旧版本保留并继续公开，新归档成为现行版本，
更正的日期、年度和原因列入“更正记录”页。""",
         wrong="site-builder archive 2023   # 2023 年度已经归档",
         right='site-builder archive 2023 --supersede --reason "项目支出表第3行得分录入错误，按原表更正"')
document("A603", "更正归档的参数不对", explanation="""
--supersede（更正已归档的年度）必须同时用 --reason 写明原因，原因会公开在“更正记录”页；
--reason 只能与 --supersede 一起使用；还没有归档的年度不能更正。""",
         wrong="site-builder archive 2023 --supersede",
         right='site-builder archive 2023 --supersede --reason "更正原因"')
document("A604", "归档文件缺失", explanation="""
归档清单 manifest.json 中列出的文件在归档文件夹里找不到了。归档被改动过的网站不会生成，
以免公开的归档与当初公开的不一致。""",
         wrong="（删除了 archives/2023/index.html）", right="git checkout -- archives/2023")
document("A605", "归档中多出文件", explanation="归档文件夹里有清单 manifest.json 中没有的文件。归档生成后不能再往里放文件。",
         wrong="（把新文件复制进 archives/2023/）", right="删除多出的文件，或用 git checkout -- archives/2023 恢复")
document("A606", "归档文件被改动", explanation="""
归档文件的内容与清单 manifest.json 记录的 SHA-256 不一致：文件被修改过。
归档一经生成不得修改；需要更正时用 site-builder archive 年度 --supersede --reason "原因"，
更正会公开在“更正记录”页，而不是悄悄修改。""",
         wrong="（用编辑器修改了 archives/2023/gaosan-fuxi-yingkao.html）",
         right='git checkout -- archives/2023\nsite-builder archive 2023 --supersede --reason "更正原因"')
document("A607", "归档清单缺失或无法读取", explanation="每个归档文件夹都有一份 manifest.json，记录每个文件的 SHA-256 和大小；没有它就无法核对归档。",
         wrong="（删除或编辑了 archives/2023/manifest.json）", right="git checkout -- archives/2023/manifest.json")
document("A608", "归档文件夹与清单不符", explanation="""
年度现行版本的文件夹名是年度（如 archives/2023），被更正的旧版本是“年度-r版本号”（如 archives/2023-r1），
与其清单记录的年度、版本一致。归档文件夹不要改名或复制。""",
         wrong="mv archives/2023 archives/2022", right="git checkout -- archives")
document("A609", "SOURCE_DATE_EPOCH 无效", explanation="""
归档日期默认是今天；设置了环境变量 SOURCE_DATE_EPOCH（自 1970-01-01 起的秒数）时取那一天。""",
         wrong="SOURCE_DATE_EPOCH=2025-01-01", right="SOURCE_DATE_EPOCH=1735689600")
document("A610", "归档页面没有归档说明", explanation="""
每个归档页面都必须注明“本页为YYYY年度归档版本”和归档日期，由主题的 _archive_banner.html 显示。
自定义主题的 base.html 去掉了这一段时，归档会被拒绝，因为归档一经生成就不能再补上。""",
         wrong="<main id=\"main\">\n{% block main %}{% endblock %}",
         right="<main id=\"main\">\n{% if archive %}{% include \"_archive_banner.html\" %}{% endif %}\n{% block main %}{% endblock %}")
document("A611", "有归档但没有归档日志", explanation="""
archives/log.jsonl 是归档日志：每次归档追加一条记录（清单的 SHA-256、上一条记录的校验值），只增不改。
有归档却没有日志时，无法确认归档没有被整个删除或改写。日志出现之前生成的归档，运行一次
site-builder archive --init-log 根据现有归档写出日志；被误删的日志用版本库恢复。""",
         wrong="（archives/ 中有 2023/，没有 log.jsonl）", right="site-builder archive --init-log\ngit add archives")
document("A612", "归档日志被改动", explanation="""
归档日志的每一行都带着自己的校验值和上一行的校验值。某一行被修改、删除、插入或调换后，校验值就接不上了。
日志只能由 site-builder archive 追加。""",
         wrong="（用编辑器修改了 archives/log.jsonl 的一行）", right="git checkout -- archives/log.jsonl")
document("A613", "日志记录的归档不见了", explanation="""
归档日志记录的每个归档（以及与它一起生成的压缩包）都必须还在 archives/ 中：已公开的归档不能删除。""",
         wrong="rm -r archives/2023 archives/2023-r1.zip", right="git checkout -- archives")
document("A614", "归档清单与日志不符", explanation="""
归档清单 manifest.json 的 SHA-256 与归档日志中记录的不同：有人改了归档文件，又改写了清单，使两者看似一致。
压缩包里记录的日志校验值与日志不符，说明日志在压缩包生成之后被改写过。""",
         wrong="（改了 archives/2023/index.html，又改了 manifest.json 中它的那一行）",
         right='git checkout -- archives\nsite-builder archive 2023 --supersede --reason "更正原因"')
document("A615", "归档不在日志里", explanation="""
archives/ 中的每个归档都由 site-builder archive 生成，并记入归档日志。日志里没有的归档文件夹不是这样生成的。""",
         wrong="cp -r 别处的归档 archives/2022", right="site-builder archive 2022")
document("A616", "归档中有符号链接或特殊文件", explanation="""
归档里只能有普通文件。符号链接可能指向本机的任何文件（例如 /etc/passwd），一旦发布就泄露出去；
这样的链接不会被跟随，也不会发布，网站不会生成。""",
         wrong="ln -s /etc/passwd archives/2023/passwd.html", right="rm archives/2023/passwd.html\ngit checkout -- archives/2023")
document("A617", "更正链接不上", explanation="""
更正版本的清单记录了它所更正的旧版本清单的 SHA-256（replaces_manifest_sha256），归档日志也记录了各版本的顺序。
旧版本在被更正之后又被改写，或者版本之间缺了一版，链就接不上了。""",
         wrong="（改写了 archives/2023-r1/manifest.json）", right="git checkout -- archives")
document("A618", "压缩包没有对应的归档", explanation="""
归档压缩包 archives/年度-r版本号.zip 与同一版本的归档文件夹一起生成，内容逐字节相同。找不到对应的归档文件夹时无法核对。""",
         wrong="（archives/2021-r1.zip，但没有 2021 年度的归档）", right="删除这个压缩包，或用版本库恢复 archives/")
document("A619", "与外部保存的副本不一致", explanation="""
site-builder verify --against 路径 把现在的归档与别处保存的副本比较：档案室保存的归档压缩包，
或者以前保存的整个网站文件夹（其中的 archive/ 和“历年公开”页）。已公开的归档不论何时保存的副本都应逐字节一致，
副本中的归档日志应是现在日志的开头部分；不一致说明归档或日志被改写过。""",
         wrong="site-builder verify --against 档案室/2023-r1.zip   # 报告不一致",
         right="git checkout -- archives   # 恢复后再核对")
document("A620", "归档日志已经存在", explanation="""
site-builder archive --init-log 根据现有的归档写出归档日志，只用于日志出现之前生成的归档，只能用一次；
此后每次归档由 site-builder archive 自动追加。已有的日志不会被重写。""",
         wrong="site-builder archive --init-log   # archives/log.jsonl 已经存在", right="site-builder verify")

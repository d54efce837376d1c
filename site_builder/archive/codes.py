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
